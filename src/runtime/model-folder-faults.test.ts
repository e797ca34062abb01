/**
 * A model folder with a file missing or a wrong config (issue 9): loading fails with a message
 * that names the folder and the file or the problem, never a TypeError from deep inside a library.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadImageTextModel as loadClip } from '../models';
import { TINY_CLIP_DIR } from '../clip/testing/golden';

function folder(): Map<string, Uint8Array> {
  const walk = (prefix: string): string[] =>
    readdirSync(`${TINY_CLIP_DIR}/${prefix}`).flatMap((n) => {
      const rel = prefix ? `${prefix}/${n}` : n;
      if (rel === 'golden') return [];
      return statSync(`${TINY_CLIP_DIR}/${rel}`).isDirectory() ? walk(rel) : [rel];
    });
  return new Map(walk('').map((f) => [f, new Uint8Array(readFileSync(`${TINY_CLIP_DIR}/${f}`))]));
}

const text = (s: string) => new TextEncoder().encode(s);
const load = (files: Map<string, Uint8Array>) => loadClip({ kind: 'files', name: 'my-model', files }, { dtype: 'fp32', device: 'cpu' });

describe('a broken model folder', () => {
  it.each([
    ['config.json'],
    ['tokenizer.json'],
    ['preprocessor_config.json'],
    ['onnx/vision_model.onnx'],
    ['onnx/text_model.onnx'],
  ])('missing %s: the message names it', async (file) => {
    const want = `cannot load model my-model: the folder has no file ${file}`;
    const files = folder();
    files.delete(file);
    const err = (await load(files).catch((e: unknown) => e)) as Error;
    console.log(`missing ${file}: ${err.message}`);
    expect(err.message).toBe(want);
  });

  it('config.json that is not JSON: says so', async () => {
    const files = folder();
    files.set('config.json', text('{ "model_type": "clip", '));
    const err = (await load(files).catch((e: unknown) => e)) as Error;
    console.log(`bad json: ${err.message}`);
    expect(err.message).toMatch(/^cannot load model my-model: config\.json is not valid JSON \(.+\)$/);
  });

  it('a config of another kind of model: says which types the lab knows', async () => {
    const files = folder();
    files.set('config.json', text(JSON.stringify({ model_type: 'bert', hidden_size: 32 })));
    const err = (await load(files).catch((e: unknown) => e)) as Error;
    console.log(`wrong config: ${err.message}`);
    expect(err.message).toBe('cannot load model my-model: config.json describes a model of type "bert", which the lab cannot load (image-text models it knows: clip, siglip)');
  });

  it('a truncated ONNX file: says which file is damaged', async () => {
    const files = folder();
    const onnx = files.get('onnx/vision_model.onnx')!;
    files.set('onnx/vision_model.onnx', onnx.subarray(0, onnx.length >> 1));
    const err = (await load(files).catch((e: unknown) => e)) as Error;
    console.log(`truncated onnx: ${err.message}`);
    expect(err.message).toMatch(/^cannot load model my-model: onnx\/vision_model\.onnx: .*protobuf parsing failed/);
  });
});
