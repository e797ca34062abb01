/**
 * A decoded image as every model in the lab consumes it: 8-bit RGB, interleaved, with EXIF
 * orientation already applied and alpha dropped (not composited), as PIL's convert('RGB') does.
 */
export interface RgbImage {
  width: number;
  height: number;
  /** length = width * height * 3, row-major, R,G,B per pixel */
  data: Uint8Array;
}

/** An input the lab could not use. `file` names it, `reason` says why, in words a user reads. */
export class ImageInputError extends Error {
  constructor(
    public readonly file: string,
    public readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'ImageInputError';
  }
}
