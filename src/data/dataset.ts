/** Images as uint8 NHWC (channels interleaved), labels 0..classes-1. The one shape every reader produces. */
export interface ImageDataset {
  name: string;
  n: number;
  height: number;
  width: number;
  channels: number;
  images: Uint8Array;
  labels: Uint8Array;
  classes: string[];
}

/** The first `count` images (views, no copy). */
export function subset(d: ImageDataset, count: number): ImageDataset {
  const n = Math.min(count, d.n);
  const per = d.height * d.width * d.channels;
  return { ...d, n, images: d.images.subarray(0, n * per), labels: d.labels.subarray(0, n) };
}
