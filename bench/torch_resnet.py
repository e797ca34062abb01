#!/usr/bin/python3
"""PyTorch CPU reference for bench/bnonly.ts: open_lth cifar_resnet_20_16 training images/s, batch 128.

Same network as src/bnonly/resnet.ts (3x3 convs without bias, BN after every conv, 1x1 stride-2 projection
shortcuts + BN, global average pool, linear), SGD momentum 0.9, weight decay 1e-4, synthetic 32x32x3 inputs.
`bn` mode freezes everything but BatchNorm's weight and bias (requires_grad=False), so autograd skips weight
gradients, as in the issue's reference numbers (487 img/s full, 934 img/s bn, 2 threads).
Usage: /usr/bin/python3 bench/torch_resnet.py (Debian python3-torch) [--threads 2] [--steps 5] [--modes full,bn] [--out file.json]
"""
import argparse
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, f_in, f_out, downsample):
        super().__init__()
        stride = 2 if downsample else 1
        self.conv1 = nn.Conv2d(f_in, f_out, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(f_out)
        self.conv2 = nn.Conv2d(f_out, f_out, 3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(f_out)
        if downsample or f_in != f_out:
            self.shortcut = nn.Sequential(nn.Conv2d(f_in, f_out, 1, stride=2, bias=False), nn.BatchNorm2d(f_out))
        else:
            self.shortcut = nn.Sequential()

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))


class ResNet(nn.Module):
    def __init__(self, depth=20, width=16, in_channels=3, classes=10):
        super().__init__()
        d = (depth - 2) // 6
        self.conv = nn.Conv2d(in_channels, width, 3, stride=1, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(width)
        blocks, f_in = [], width
        for s in range(3):
            f_out = width << s
            for b in range(d):
                blocks.append(Block(f_in, f_out, s > 0 and b == 0))
                f_in = f_out
        self.blocks = nn.Sequential(*blocks)
        self.fc = nn.Linear(f_in, classes)
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.kaiming_normal_(m.weight)
            if isinstance(m, nn.BatchNorm2d):
                nn.init.uniform_(m.weight)

    def forward(self, x):
        out = F.relu(self.bn(self.conv(x)))
        out = self.blocks(out)
        out = F.avg_pool2d(out, out.size()[3]).flatten(1)
        return self.fc(out)


def bench(mode, steps, batch, depth):
    torch.manual_seed(0)
    net = ResNet(depth).train()
    for name, p in net.named_parameters():
        p.requires_grad = mode == 'full' or '.bn' in name or name.startswith('bn.') or 'shortcut.1' in name
    params = [p for p in net.parameters() if p.requires_grad]
    opt = torch.optim.SGD(params, lr=0.1, momentum=0.9, weight_decay=1e-4)
    x = torch.randn(batch, 3, 32, 32)
    y = torch.randint(0, 10, (batch,))

    def step():
        opt.zero_grad()
        F.cross_entropy(net(x), y).backward()
        opt.step()

    step()
    step()
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(steps):
        step()
    sec, cpu = time.perf_counter() - t0, time.process_time() - c0
    # images per CPU-second: what one uncontended core would give if all CPU time were useful work.
    return {'mode': mode, 'trainable_params': sum(p.numel() for p in params), 'steps': steps, 'seconds': round(sec, 2),
            'images_per_s': round(steps * batch / sec, 1), 'cpu_seconds': round(cpu, 2), 'images_per_cpu_s': round(steps * batch / cpu, 1)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--steps', type=int, default=5)
    ap.add_argument('--batch', type=int, default=128)
    ap.add_argument('--depth', type=int, default=20)
    ap.add_argument('--modes', default='full,bn')
    ap.add_argument('--out', default='')
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    results = [bench(m, a.steps, a.batch, a.depth) for m in a.modes.split(',')]
    report = {'torch': torch.__version__, 'threads': a.threads, 'depth': a.depth, 'width': 16, 'batch': a.batch, 'results': results}
    if a.out:
        with open(a.out, 'w') as f:
            json.dump(report, f, indent=2)
            f.write('\n')
    print(json.dumps(report))


if __name__ == '__main__':
    main()
