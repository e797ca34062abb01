import { startServer, benchDir } from './server';
import { openBench } from './browser';
import { nodeVision } from './node-infer';
import { join } from 'node:path';
import os from 'node:os';
const dir = join(benchDir, 'models/clip-vit-base-patch32-placeholder');
const srv = await startServer(join(benchDir, 'dist'), { 'clip-vit-base-patch32-placeholder': dir });
const b = await openBench(srv.url, (process.env.XARGS ?? '').split(' ').filter(Boolean));
const cfgs = JSON.parse(process.argv[2]);
const secs = Number(process.env.SECS ?? 8);
for (const c of cfgs) {
  try {
    let r: any;
    if (c.cmd === 'node') r = await nodeVision({ file: join(dir, 'onnx', c.file ?? 'vision_model.onnx'), threads: c.threads, batch: c.batch ?? 8, seconds: secs });
    else r = await b.call(c.cmd, { modelUrl: `${srv.url}/hub/bench/clip-vit-base-patch32-placeholder/resolve/main/onnx/${c.file ?? 'vision_model.onnx'}`,
      hubBase: `${srv.url}/hub/`, model: 'bench/clip-vit-base-patch32-placeholder', seconds: secs, batch: 8, ...c });
    console.log(JSON.stringify(c), '=>', r.items_per_s.toFixed(2), 'img/s', 'runs', r.run_ms.join(','), 'load', os.loadavg()[0].toFixed(1));
  } catch (e) { console.log(JSON.stringify(c), 'ERR', String(e).slice(0, 800)); }
}
await b.close(); await srv.close();
