"""Build e2e/fixtures/tiny-random-siglip: config, tokenizer, random SigLIP weights, ONNX exports, golden.

Runs with Debian bookworm packages only (python3-torch 1.13, python3-onnx 1.12, python3-pil, python3-numpy):
    /usr/bin/python3 scripts/siglip-fixture/make_fixture.py
Everything is seeded; re-running rewrites the same files (ONNX bytes may differ across torch versions).
"""
import json
import math
import os
import shutil
import sys

import numpy as np
import torch
from PIL import Image, ImageOps

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import siglip_tok as tok  # noqa: E402
import write_tokenizer  # noqa: E402
from siglip_torch import SiglipModel, SiglipTextModel, SiglipVisionModel  # noqa: E402

REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
OUT = os.path.join(REPO, "e2e", "fixtures", "tiny-random-siglip")
CLIP_GOLDEN = os.path.join(REPO, "e2e", "fixtures", "tiny-random-clip", "golden")
IMAGES = ["astronaut.png", "chelsea.png", "coffee.png", "small_50x80.png"]
LONG = " ".join(["a very long prompt about a cat and a dog on the street"] * 6)
TEXTS = [
    "a photo of a cat",
    "a photo of a dog",
    "A photo of a Dog!",
    "an astronaut, with   a coffee-cup.",
    "cat",
    LONG,
]
SEED = 1234
LOGIT_SCALE_PARAM = math.log(10.0)  # exp() = 10
LOGIT_BIAS = -3.7

HIDDEN, LAYERS, HEADS, INTER = 32, 2, 4, 37
GAIN = float(os.environ.get("SIGLIP_FIXTURE_GAIN", "2.5"))


def configs(vocab_size):
    common = dict(hidden_size=HIDDEN, intermediate_size=INTER, num_hidden_layers=LAYERS, num_attention_heads=HEADS,
                  hidden_act="gelu_pytorch_tanh", layer_norm_eps=1e-6, attention_dropout=0.0)
    text = dict(common, model_type="siglip_text_model", vocab_size=vocab_size, max_position_embeddings=64,
                pad_token_id=1, bos_token_id=49406, eos_token_id=1, projection_size=HIDDEN)
    vision = dict(common, model_type="siglip_vision_model", image_size=224, patch_size=16, num_channels=3)
    return text, vision


def config_json(text, vision):
    return {
        "architectures": ["SiglipModel"],
        "initializer_factor": 1.0,
        "model_type": "siglip",
        "text_config": text,
        "vision_config": vision,
        "torch_dtype": "float32",
        "transformers_version": "4.37.0.dev0",
    }


PREPROCESSOR = {
    "do_normalize": True,
    "do_rescale": True,
    "do_resize": True,
    "image_mean": [0.5, 0.5, 0.5],
    "image_processor_type": "SiglipImageProcessor",
    "image_std": [0.5, 0.5, 0.5],
    "processor_class": "SiglipProcessor",
    "resample": 3,
    "rescale_factor": 0.00392156862745098,
    "size": {"height": 224, "width": 224},
}


def init_weights(model):
    """Random init scaled so a 2-layer tiny model still gives clearly different embeddings."""
    g = torch.Generator().manual_seed(SEED)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name == "logit_scale":
                p.fill_(LOGIT_SCALE_PARAM)
            elif name == "logit_bias":
                p.fill_(LOGIT_BIAS)
            elif "norm" in name and name.endswith("weight"):
                p.copy_(1.0 + 0.1 * torch.randn(p.shape, generator=g))
            elif name.endswith("bias"):
                p.copy_(0.1 * torch.randn(p.shape, generator=g))
            elif "embedding" in name and p.dim() == 2:  # token / position embeddings
                p.copy_(torch.randn(p.shape, generator=g))
            elif name.endswith("probe"):
                p.copy_(torch.randn(p.shape, generator=g))
            else:  # Linear / Conv / in_proj weights: ~ GAIN / sqrt(fan_in)
                fan_in = p[0].numel()
                p.copy_(torch.randn(p.shape, generator=g) * (GAIN / math.sqrt(fan_in)))


def pixel_values(path):
    """SiglipImageProcessor (slow, PIL) after load_image: EXIF transpose, RGB, resize 224x224 bicubic,
    rescale 1/255 (float64 product cast to float32), normalize (x - 0.5) / 0.5 in float32, CHW."""
    img = Image.open(path)
    img = ImageOps.exif_transpose(img)
    img = img.convert("RGB")
    img = img.resize((224, 224), resample=Image.BICUBIC)
    arr = np.asarray(img)
    arr = (arr.astype(np.float64) * PREPROCESSOR["rescale_factor"]).astype(np.float32)
    mean = np.array(PREPROCESSOR["image_mean"], dtype=np.float32)
    std = np.array(PREPROCESSOR["image_std"], dtype=np.float32)
    arr = (arr - mean) / std
    return np.ascontiguousarray(arr.transpose(2, 0, 1).astype(np.float32))


def dump(name, obj):
    with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2, ensure_ascii=False)
        f.write("\n")


def export(module, args, path, input_names, output_names, dynamic_axes):
    torch.onnx.export(module, args, path, input_names=input_names, output_names=output_names,
                      dynamic_axes=dynamic_axes, opset_version=14, do_constant_folding=True)


class _Text(torch.nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, input_ids):
        return self.m(input_ids)


def main():
    torch.manual_seed(SEED)
    os.makedirs(os.path.join(OUT, "onnx"), exist_ok=True)
    os.makedirs(os.path.join(OUT, "golden"), exist_ok=True)

    vocab = write_tokenizer.main()
    text_cfg, vision_cfg = configs(len(vocab))
    dump("config.json", config_json(text_cfg, vision_cfg))
    dump("preprocessor_config.json", PREPROCESSOR)

    model = SiglipModel(text_cfg, vision_cfg).eval()
    init_weights(model)
    text_model = SiglipTextModel(text_cfg).eval()
    text_model.text_model.load_state_dict(model.text_model.state_dict())
    vision_model = SiglipVisionModel(vision_cfg).eval()
    vision_model.vision_model.load_state_dict(model.vision_model.state_dict())

    # ---- golden inputs
    input_ids = [tok.encode(t, vocab) for t in TEXTS]
    unpadded = [tok.encode(t, vocab, pad=False) for t in TEXTS]
    pixels = []
    for name in IMAGES:
        shutil.copyfile(os.path.join(CLIP_GOLDEN, name), os.path.join(OUT, "golden", name))
        pv = pixel_values(os.path.join(OUT, "golden", name))
        pv.astype("<f4").tofile(os.path.join(OUT, "golden", name + ".pixel_values.f32"))
        pixels.append(pv)
    ids_t = torch.tensor(input_ids, dtype=torch.int64)
    pix_t = torch.from_numpy(np.stack(pixels))

    with torch.no_grad():
        t_last, t_pool = text_model(ids_t)
        v_last, v_pool = vision_model(pix_t)
        lpi, lpt, t_emb, i_emb = model(ids_t, pix_t)
        # float64 reference of the logits from the float32 embeddings
        te = t_pool.double() / t_pool.double().norm(dim=-1, keepdim=True)
        ie = v_pool.double() / v_pool.double().norm(dim=-1, keepdim=True)
        cos = ie @ te.T
        lpi64 = cos * math.exp(model.logit_scale.double().item()) + model.logit_bias.double().item()

    print("max |lpi32 - lpi64|", (lpi.double() - lpi64).abs().max().item())
    tcos = te @ te.T
    icos = ie @ ie.T
    print("text cos\n", np.round(tcos.numpy(), 3))
    print("image cos\n", np.round(icos.numpy(), 3))
    print("image-text cos\n", np.round(cos.numpy(), 3))

    golden = {
        "model": "tiny-random-siglip",
        "reference": f"plain PyTorch re-implementation of HF modeling_siglip.py (scripts/siglip-fixture), torch {torch.__version__}",
        "preprocess": "load_image-style: EXIF transpose, convert('RGB') (alpha dropped), PIL bicubic resize to exactly "
                      "224x224 (no aspect ratio, no crop), x/255, (x-0.5)/0.5, CHW float32 little-endian",
        "tokenize": "lower-case; remove string.punctuation; collapse whitespace; strip; Metaspace '\u2581' prefix; "
                    "Unigram Viterbi; append </s> (id 1); truncate to 63 tokens + </s>; pad with </s> (id 1) to 64; "
                    "no attention_mask is passed to the model",
        "texts": TEXTS,
        "images": IMAGES,
        "special_ids": {"pad": 1, "eos": 1, "unk": 2, "<pad>": 0},
        "input_ids": input_ids,
        "input_ids_unpadded": unpadded,
        "text_pooler_output": t_pool.double().tolist(),
        "text_embeds": t_emb.double().tolist(),
        "vision_pooler_output": v_pool.double().tolist(),
        "image_embeds": i_emb.double().tolist(),
        "logits_per_image": lpi.double().tolist(),
        "logits_per_image_float64": lpi64.tolist(),
        "probs_per_image_sigmoid": torch.sigmoid(lpi64).tolist(),
        "logit_scale": math.exp(model.logit_scale.item()),
        "logit_scale_param": model.logit_scale.item(),
        "logit_bias": model.logit_bias.item(),
        "note": "text_embeds / image_embeds: L2-normalized (as SiglipModel / model.onnx return them). "
                "text_pooler_output / vision_pooler_output: UNnormalized pooler_output of text_model.onnx / "
                "vision_model.onnx. logits_per_image[i][t] = logit_scale * cos(image_i, text_t) + logit_bias "
                "(float32 torch SiglipModel); logits_per_image_float64 recomputes it in float64 from the pooler outputs. "
                "probs = sigmoid(logits), per class, not a softmax.",
    }
    with open(os.path.join(OUT, "golden", "golden.json"), "w") as f:
        json.dump(golden, f)

    # ---- ONNX export (names as Xenova/siglip-base-patch16-224)
    onnx_dir = os.path.join(OUT, "onnx")
    export(text_model, (ids_t,), os.path.join(onnx_dir, "text_model.onnx"), ["input_ids"],
           ["last_hidden_state", "pooler_output"],
           {"input_ids": {0: "batch_size", 1: "sequence_length"},
            "last_hidden_state": {0: "batch_size", 1: "sequence_length"}, "pooler_output": {0: "batch_size"}})
    export(vision_model, (pix_t,), os.path.join(onnx_dir, "vision_model.onnx"), ["pixel_values"],
           ["last_hidden_state", "pooler_output"],
           {"pixel_values": {0: "batch_size"}, "last_hidden_state": {0: "batch_size"},
            "pooler_output": {0: "batch_size"}})
    export(model, (ids_t, pix_t), os.path.join(onnx_dir, "model.onnx"), ["input_ids", "pixel_values"],
           ["logits_per_image", "logits_per_text", "text_embeds", "image_embeds"],
           {"input_ids": {0: "text_batch_size", 1: "sequence_length"}, "pixel_values": {0: "image_batch_size"},
            "logits_per_image": {0: "image_batch_size", 1: "text_batch_size"},
            "logits_per_text": {0: "text_batch_size", 1: "image_batch_size"},
            "text_embeds": {0: "text_batch_size"}, "image_embeds": {0: "image_batch_size"}})
    import onnx
    # torch 1.13 names the vision last_hidden_state dims "Addlast_hidden_state_dim_*"; they are static.
    vpath = os.path.join(onnx_dir, "vision_model.onnx")
    vm = onnx.load(vpath)
    dims = vm.graph.output[0].type.tensor_type.shape.dim
    dims[1].dim_value = (vision_cfg["image_size"] // vision_cfg["patch_size"]) ** 2
    dims[2].dim_value = vision_cfg["hidden_size"]
    onnx.save(vm, vpath)
    for n in ["text_model", "vision_model", "model"]:
        m = onnx.load(os.path.join(onnx_dir, n + ".onnx"))
        onnx.checker.check_model(m)
        print("exported", n, os.path.getsize(os.path.join(onnx_dir, n + ".onnx")))
    import variants
    variants.main()


if __name__ == "__main__":
    main()
