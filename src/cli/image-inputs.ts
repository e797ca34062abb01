/**
 * The CLI's image path, shared by classify and search: expand inputs (files first, then folder
 * contents in sorted order), then the core's embedding pipeline (src/pipeline/embed-images.ts)
 * with Node's file reader and decoder. A bad input becomes an error entry and the others go on.
 * Only regular files are read (readRegularFile: stat first, size cap): a FIFO, a device, a socket or
 * a link to one is an error entry ("not a regular file (FIFO)"), never a hang.
 */
import { stat } from 'node:fs/promises';
import type { ImageTextModel } from '../models/model';
import { decodeImageNode } from '../data/decode-node';
import { listImageFiles } from '../data/files';
import { embedImages } from '../pipeline/embed-images';
import { readRegularFile } from './read-input';

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

/** Decodes, preprocesses and embeds every input (L2-normalised), `batchSize` images per model call. */
export async function embedInputs(model: ImageTextModel, inputs: string[], batchSize = 8): Promise<EmbeddedInput[]> {
  const items = await expandInputs(inputs);
  const out: EmbeddedInput[] = new Array(items.length);
  await embedImages(
    items.map((it) => ({ name: it.image, error: it.error, read: () => readRegularFile(it.image) })),
    {
      model,
      decode: decodeImageNode,
      batchSize,
      onBatch: (results) => {
        for (const r of results) out[r.index] = r.ok ? { image: items[r.index].image, embedding: r.embedding } : { image: items[r.index].image, error: r.error };
      },
    },
  );
  return out;
}
