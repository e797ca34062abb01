/**
 * Dataset loading in the worker: the bundled Fashion-MNIST subset (fetched from the site itself, so it works
 * offline), or CIFAR-10's binary archive from a URL or a dropped file kept in IndexedDB, streamed through the
 * core's gunzip + tar reader chunk by chunk (the archive is never held whole).
 */
import { subset, type ImageDataset } from '../../src/data/dataset';
import { FASHION_MNIST_FILES, idxDataset } from '../../src/data/idx';
import { CifarArchiveReader } from '../../src/data/cifar';
import { getBlob } from '../stores/bnonly-db';
import type { ExperimentConfig, LogLine } from './bnonly-protocol';

type Progress = (line: LogLine) => void;

const DATA_CACHE = 'lab-bnonly-data';

/**
 * Network first, then a copy kept in Cache Storage: the bundled dataset is not in the service worker's app-shell
 * list, so this copy is what lets the panel train offline after one online run.
 */
async function fetchBytes(url: string): Promise<Uint8Array> {
  const cache = typeof caches === 'undefined' ? null : await caches.open(DATA_CACHE).catch(() => null);
  let failure: string;
  try {
    const res = await fetch(url);
    if (res.ok) {
      const bytes = new Uint8Array(await res.arrayBuffer());
      await cache?.put(url, new Response(bytes.slice())).catch(() => undefined);
      return bytes;
    }
    failure = `HTTP ${res.status} ${res.statusText}`;
  } catch (e) {
    failure = e instanceof Error ? e.message : String(e);
  }
  const hit = await cache?.match(url);
  if (hit) return new Uint8Array(await hit.arrayBuffer());
  throw new Error(`could not fetch ${url} (${failure})`);
}

async function fashionMnist(siteBase: string): Promise<{ train: ImageDataset; test: ImageDataset }> {
  const base = new URL('datasets/fashion-mnist/', siteBase).href;
  const f = FASHION_MNIST_FILES;
  const [ti, tl, vi, vl] = await Promise.all([f.trainImages, f.trainLabels, f.testImages, f.testLabels].map((n) => fetchBytes(base + n)));
  return {
    train: idxDataset(ti, tl, { images: f.trainImages, labels: f.trainLabels }),
    test: idxDataset(vi, vl, { images: f.testImages, labels: f.testLabels }),
  };
}

async function readStream(stream: ReadableStream<Uint8Array>, name: string, total: number, progress: Progress) {
  const reader = new CifarArchiveReader(name);
  const r = stream.getReader();
  let got = 0;
  let last = 0;
  for (;;) {
    const { done, value } = await r.read();
    if (done) break;
    reader.push(value);
    got += value.length;
    if (got - last > 4 << 20) {
      last = got;
      progress({ key: 'download', vars: { name, mb: Math.round(got / 1e6), total: total > 0 ? Math.round(total / 1e6) : '?' } });
    }
  }
  reader.push(new Uint8Array(0), true);
  return reader.finish();
}

async function cifar(config: ExperimentConfig, progress: Progress): Promise<{ train: ImageDataset; test: ImageDataset }> {
  const src = config.source;
  if (src.kind === 'file') {
    const blob = await getBlob(src.blobKey);
    if (!blob) throw new Error(`${src.name}: the dropped archive is no longer stored in this browser; drop it again`);
    return readStream(blob.stream(), src.name, blob.size, progress);
  }
  if (src.kind !== 'url' || !src.url) throw new Error('CIFAR-10 needs an archive: a URL or a dropped file');
  let res: Response;
  try {
    res = await fetch(src.url);
  } catch (e) {
    throw new Error(
      `could not fetch ${src.url} (${e instanceof Error ? e.message : String(e)}). The server may not allow this site (CORS), or the site's content policy blocks that host: download the archive and drop it here instead`,
    );
  }
  if (!res.ok || !res.body) throw new Error(`${src.url}: HTTP ${res.status} ${res.statusText}`);
  const name = src.url.split('/').pop() || 'cifar-10-binary.tar.gz';
  return readStream(res.body, name, Number(res.headers.get('content-length') ?? 0), progress);
}

export async function loadDataset(config: ExperimentConfig, siteBase: string, progress: Progress): Promise<{ train: ImageDataset; test: ImageDataset }> {
  const d = config.dataset === 'cifar10' ? await cifar(config, progress) : await fashionMnist(siteBase);
  if (d.train.n === 0) throw new Error('the dataset has no training images');
  if (d.test.n === 0) throw new Error('the dataset has no test images');
  return {
    train: config.trainSize > 0 ? subset(d.train, config.trainSize) : d.train,
    test: config.testSize > 0 ? subset(d.test, config.testSize) : d.test,
  };
}
