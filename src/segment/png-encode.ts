import { encode } from 'fast-png';

/** An 8-bit grayscale PNG of a [height, width] mask (values written as they are, 0/255 for masks). */
export function encodeGrayPng(mask: Uint8Array, width: number, height: number): Uint8Array {
  if (mask.length !== width * height) {
    throw new RangeError(`mask has ${mask.length} pixels, a ${width}x${height} PNG needs ${width * height}`);
  }
  return encode({ width, height, data: mask, channels: 1, depth: 8 });
}
