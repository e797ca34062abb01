/**
 * Node-only dataset loading (files on disk). The browser worker reads the same formats from fetch/drop,
 * through the same parsers in src/data.
 */
import { createReadStream, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CifarArchiveReader, CifarCollector, isCifarBatchName } from '../data/cifar';
import { DatasetFormatError, FASHION_MNIST_FILES, idxDataset } from '../data/idx';
import type { ImageDataset } from '../data/dataset';

/** The shipped subset, resolved from this file (not the working directory). */
export const DEFAULT_FASHION_MNIST_DIR = fileURLToPath(new URL('../../public/datasets/fashion-mnist/', import.meta.url));

export function loadFashionMnist(dir = DEFAULT_FASHION_MNIST_DIR): { train: ImageDataset; test: ImageDataset } {
  const read = (f: string) => {
    const p = path.join(dir, f);
    if (!existsSync(p)) throw new DatasetFormatError(p, 'file not found (expected the four Fashion-MNIST IDX .gz files)');
    return readFileSync(p);
  };
  const f = FASHION_MNIST_FILES;
  return {
    train: idxDataset(read(f.trainImages), read(f.trainLabels), { images: f.trainImages, labels: f.trainLabels }),
    test: idxDataset(read(f.testImages), read(f.testLabels), { images: f.testImages, labels: f.testLabels }),
  };
}

/** CIFAR-10 from `cifar-10-binary.tar.gz` (streamed from disk) or a folder with the extracted batch files. */
export async function loadCifar10(p: string): Promise<{ train: ImageDataset; test: ImageDataset }> {
  if (!existsSync(p)) throw new DatasetFormatError(p, 'no such file or folder');
  if (statSync(p).isDirectory()) {
    const c = new CifarCollector();
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const full = path.join(d, e.name);
        if (e.isDirectory()) walk(full);
        else if (isCifarBatchName(e.name)) c.add(full, readFileSync(full));
      }
    };
    walk(p);
    return c.finish(p);
  }
  const reader = new CifarArchiveReader(p);
  for await (const chunk of createReadStream(p, { highWaterMark: 1 << 20 })) reader.push(chunk as Uint8Array);
  reader.push(new Uint8Array(0), true);
  return reader.finish();
}
