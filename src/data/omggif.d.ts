// Minimal types for omggif (CommonJS, no bundled types): what src/data/gif.ts and the corpus generator use.
declare module 'omggif' {
  export interface GifFrameInfo {
    x: number;
    y: number;
    width: number;
    height: number;
    transparent_index: number | null;
    interlaced: boolean;
  }
  export class GifReader {
    constructor(buf: Uint8Array);
    width: number;
    height: number;
    numFrames(): number;
    frameInfo(frame: number): GifFrameInfo;
    decodeAndBlitFrameRGBA(frame: number, pixels: Uint8Array | Uint8ClampedArray): void;
  }
  /** Used by the hostile-input corpus generator (src/data/testdata/hostile). */
  export class GifWriter {
    constructor(buf: Uint8Array, width: number, height: number, opts?: { palette?: number[]; loop?: number });
    addFrame(x: number, y: number, w: number, h: number, indexedPixels: number[] | Uint8Array, opts?: { palette?: number[] }): number;
    end(): number;
  }
  const omggif: { GifReader: typeof GifReader; GifWriter: typeof GifWriter };
  export default omggif;
}
