// Checks e2e/fixtures/tiny-random-siglip against its PyTorch golden with transformers.js (onnxruntime-node):
//   node scripts/siglip-fixture/verify.mjs [dtype ...]      (default: fp32 and every other variant present)
// - tokenizer: AutoTokenizer ids == golden input_ids (python reference), except the documented truncation case
// - text_model.onnx / vision_model.onnx pooler_output vs golden pooler outputs
// - model.onnx logits/embeds vs golden; cos*scale+bias from the separate towers vs golden logits
// - SiglipImageProcessor (transformers.js) pixel values vs the PIL golden pixel values (informational)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  env, AutoTokenizer, AutoProcessor, SiglipTextModel, SiglipVisionModel, SiglipModel, Tensor, RawImage,
} from '@huggingface/transformers';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.resolve(here, '../../e2e/fixtures');
const name = 'tiny-random-siglip';
const dir = path.join(fixtures, name);
env.allowRemoteModels = false;
env.localModelPath = fixtures;

const golden = JSON.parse(fs.readFileSync(path.join(dir, 'golden/golden.json'), 'utf8'));
const maxAbs = (a, b) => { let m = 0; for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i])); return m; };
const flat = (x) => x.flat(Infinity);
const report = {};
let failed = false;
const check = (label, err, tol) => {
  const ok = err <= tol;
  if (!ok) failed = true;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${label}: ${err.toExponential(3)} (tol ${tol})`);
  report[label] = err;
};

// ---- tokenizer
const tok = await AutoTokenizer.from_pretrained(name);
const enc = tok(golden.texts, { padding: 'max_length', truncation: true, max_length: 64 });
const jsIds = enc.input_ids.tolist().map((r) => r.map(Number));
golden.texts.forEach((t, i) => {
  const same = JSON.stringify(jsIds[i]) === JSON.stringify(golden.input_ids[i]);
  const full = tok(t).input_ids.dims.at(-1);
  console.log(`${same ? 'same' : 'DIFF'} ids for ${JSON.stringify(t.slice(0, 40))}: js ${jsIds[i].filter((x) => x !== 1).length} non-pad, untruncated len ${full}`);
  if (!same && full <= 64) failed = true; // only the >64-token case may differ (transformers.js drops </s>)
  if (!same) console.log('   js    tail', jsIds[i].slice(-4), '\n   golden tail', golden.input_ids[i].slice(-4));
});

// ---- pixel values
const pixels = golden.images.map((im) => {
  const buf = fs.readFileSync(path.join(dir, 'golden', im + '.pixel_values.f32'));
  return new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
});
const nImg = pixels.length;
const pixelTensor = new Tensor('float32', Float32Array.from(pixels.flatMap((p) => Array.from(p))), [nImg, 3, 224, 224]);
const idsTensor = new Tensor('int64', BigInt64Array.from(golden.input_ids.flat().map(BigInt)), [golden.input_ids.length, 64]);

const processor = await AutoProcessor.from_pretrained(name);
for (let i = 0; i < nImg; i++) {
  const img = await RawImage.read(path.join(dir, 'golden', golden.images[i]));
  const { pixel_values } = await processor(img);
  const d = maxAbs(pixel_values.data, pixels[i]);
  let mean = 0; for (let j = 0; j < pixels[i].length; j++) mean += Math.abs(pixel_values.data[j] - pixels[i][j]);
  console.log(`info transformers.js SiglipImageProcessor vs PIL golden ${golden.images[i]}: dims ${pixel_values.dims} maxabs ${d.toFixed(4)} meanabs ${(mean / pixels[i].length).toExponential(2)}`);
}

const dtypes = process.argv.slice(2).length ? process.argv.slice(2)
  : ['fp32', ...['fp16', 'q8'].filter((d) => fs.existsSync(path.join(dir, 'onnx', `text_model${d === 'fp16' ? '_fp16' : '_quantized'}.onnx`)))];
// fp32 must match PyTorch; fp16 / q8 are approximations: pooler errors are relative to max|golden|.
const tol = { fp32: { pool: 1e-4, logit: 1e-4 }, fp16: { pool: 2e-2, logit: 5e-2 }, q8: { pool: 1.5e-1, logit: 1.0 } };
const relMax = (a, g) => maxAbs(a, g) / Math.max(...g.map(Math.abs));
for (const dtype of dtypes) {
  const t = tol[dtype];
  const textModel = await SiglipTextModel.from_pretrained(name, { dtype });
  const visionModel = await SiglipVisionModel.from_pretrained(name, { dtype });
  const tOut = await textModel({ input_ids: idsTensor });
  const vOut = await visionModel({ pixel_values: pixelTensor });
  check(`${dtype} text_model pooler_output ${dtype === 'fp32' ? 'maxabs' : 'maxabs/max|golden|'}`, (dtype === 'fp32' ? maxAbs : relMax)(tOut.pooler_output.data, flat(golden.text_pooler_output)), t.pool);
  check(`${dtype} vision_model pooler_output ${dtype === 'fp32' ? 'maxabs' : 'maxabs/max|golden|'}`, (dtype === 'fp32' ? maxAbs : relMax)(vOut.pooler_output.data, flat(golden.vision_pooler_output)), t.pool);
  // cos * scale + bias from the towers
  const D = tOut.pooler_output.dims[1];
  const norm = (data, n) => Array.from({ length: n }, (_, i) => {
    const v = Array.from(data.slice(i * D, (i + 1) * D)); const s = Math.hypot(...v); return v.map((x) => x / s);
  });
  const te = norm(tOut.pooler_output.data, golden.texts.length);
  const ie = norm(vOut.pooler_output.data, nImg);
  const lpi = ie.map((iv) => te.map((tv) => golden.logit_scale * tv.reduce((s, x, k) => s + x * iv[k], 0) + golden.logit_bias));
  check(`${dtype} towers cos*scale+bias vs golden logits_per_image maxabs`, maxAbs(flat(lpi), flat(golden.logits_per_image)), t.logit);
  const probs = lpi.map((r) => r.map((x) => 1 / (1 + Math.exp(-x))));
  check(`${dtype} sigmoid probs maxabs`, maxAbs(flat(probs), flat(golden.probs_per_image_sigmoid)), t.logit);

  const full = await SiglipModel.from_pretrained(name, { dtype });
  const out = await full({ input_ids: idsTensor, pixel_values: pixelTensor });
  check(`${dtype} model.onnx logits_per_image maxabs`, maxAbs(out.logits_per_image.data, flat(golden.logits_per_image)), t.logit);
  check(`${dtype} model.onnx logits_per_text maxabs`, maxAbs(out.logits_per_text.data, flat(golden.logits_per_image[0].map((_, j) => golden.logits_per_image.map((r) => r[j])))), t.logit);
  check(`${dtype} model.onnx text_embeds maxabs`, maxAbs(out.text_embeds.data, flat(golden.text_embeds)), t.pool);
  check(`${dtype} model.onnx image_embeds maxabs`, maxAbs(out.image_embeds.data, flat(golden.image_embeds)), t.pool);
  // dynamic axes: batch 1, shorter sequence
  const one = await textModel({ input_ids: new Tensor('int64', BigInt64Array.from(golden.input_ids[0].slice(0, 10).map(BigInt)), [1, 10]) });
  console.log(`info ${dtype} text_model accepts [1,10]: pooler dims ${one.pooler_output.dims}`);
}
fs.writeFileSync(path.join(process.env.VERIFY_OUT ?? '/dev/null'), JSON.stringify(report, null, 1));
if (failed) { console.log('FAILED'); process.exit(1); }
console.log('ALL OK');
