/**
 * The CLI's image path, shared by classify and search: expand inputs (files first, then folder
 * contents in sorted order), decode, preprocess exactly as the browser worker does, embed in batches.
 * A bad input becomes an error entry and the others go on.
 */
import { readFile, stat } from 'node:fs/promises';
import type { ClipModel } from '../clip/model';
import { loadPreprocessorConfig, preprocess } from '../clip/preprocess';
import { decodeImageNode } from '../data/decode-node';
import { listImageFiles } from '../data/files';
import { ImageInputError } from '../data/image';

export type EmbeddedInput = { image: string; embedding: Float32Array } | { image: string; error: string };

/** Inputs in the order the issue asks for; a folder with no images becomes one error entry. */
export async function expandInputs(inputs: string[]): Promise<{ image: string; error?: string }[]> {
  const files: { image: string; error?: string }[] = [];
  const fromDirs: { image: string; error?: string }[] = [];
  for (const input of inputs) {
    const isDir = (await stat(input).catch(() => null))?.isDirectory();
    if (!isDir) {
      files.push({ image: input });
      continue;
    }
    const found = await listImageFiles([input]).catch((e: Error) => e);
    if (found instanceof Error) fromDirs.push({ image: input, error: `folder cannot be read (${found.message})` });
    else if (found.length === 0) fromDirs.push({ image: input, error: 'no image files (png, jpg, jpeg, webp, gif, bmp, avif) in this folder' });
    else fromDirs.push(...found.map((image) => ({ image })));
  }
  return [...files, ...fromDirs];
}

function readError(e: unknown): string {
  if (e instanceof ImageInputError) return e.reason;
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EISDIR') return 'is a folder, not an image';
  if (code === 'EACCES') return 'permission denied';
  return e instanceof Error ? e.message : String(e);
}

/** Decodes, preprocesses and embeds every input (L2-normalised), `batchSize` images per model call. */
export async function embedInputs(model: ClipModel, inputs: string[], batchSize = 8): Promise<EmbeddedInput[]> {
  const cfg = loadPreprocessorConfig(model.preprocessorConfig);
  const items = await expandInputs(inputs);
  const out: EmbeddedInput[] = items.map((it) => (it.error ? { image: it.image, error: it.error } : { image: it.image, embedding: new Float32Array(0) }));
  let pending: { index: number; pixels: Float32Array }[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const e = await model.encodeImages(pending.map((p) => p.pixels), pending.length);
    pending.forEach((p, k) => (out[p.index] = { image: items[p.index].image, embedding: e.slice(k * model.dim, (k + 1) * model.dim) }));
    pending = [];
  };
  for (let i = 0; i < items.length; i++) {
    if (items[i].error) continue;
    const image = items[i].image;
    try {
      const bytes = new Uint8Array(await readFile(image));
      const pixels = preprocess(await decodeImageNode(bytes, image), cfg);
      pending.push({ index: i, pixels });
    } catch (e) {
      out[i] = { image, error: readError(e) };
    }
    if (pending.length >= batchSize) await flush();
  }
  await flush();
  return out;
}
