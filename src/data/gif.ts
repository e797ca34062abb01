/**
 * GIF -> RgbImage: the first frame only (what PIL's Image.open shows and what a model gets from
 * an animated GIF), via omggif (pure JS, same in Node and the browser).
 * Choice (issue 3: follow Chromium where PIL is a quirk): pixels that are transparent, or outside
 * the first frame's rectangle, become 0,0,0 as in Chromium's straight-alpha RGBA. PIL would
 * instead show the palette colour behind the transparent index.
 */
import omggif from 'omggif';
import { ImageInputError, type RgbImage } from './image';

export function decodeGif(bytes: Uint8Array, name: string): RgbImage {
  let reader: InstanceType<typeof omggif.GifReader>;
  try {
    reader = new omggif.GifReader(bytes);
  } catch (e) {
    throw new ImageInputError(name, `corrupt or truncated GIF (${(e as Error).message})`);
  }
  const { width, height } = reader;
  if (reader.numFrames() < 1) throw new ImageInputError(name, 'GIF has no image frames');
  if (!width || !height) throw new ImageInputError(name, `GIF declares an empty image (${width}x${height})`);
  const f = reader.frameInfo(0);
  if (f.x + f.width > width || f.y + f.height > height) {
    throw new ImageInputError(name, `corrupt GIF (first frame ${f.width}x${f.height}+${f.x}+${f.y} exceeds the ${width}x${height} screen)`);
  }
  const rgba = new Uint8Array(width * height * 4);
  // omggif only console.logs a warning when the LZW data holds fewer or more pixels than the frame
  // declares, and leaves the rest blank: catch that warning and refuse the file (issue 21).
  let lzwProblem = '';
  const log = console.log;
  console.log = (...a: unknown[]) => {
    const m = /gif stream (shorter|longer) than expected/.exec(String(a[0]));
    if (m) lzwProblem = m[1];
    else log(...a);
  };
  try {
    reader.decodeAndBlitFrameRGBA(0, rgba);
  } catch (e) {
    throw new ImageInputError(name, `corrupt GIF image data (${(e as Error).message})`);
  } finally {
    console.log = log;
  }
  if (lzwProblem) {
    throw new ImageInputError(
      name,
      `corrupt GIF image data: the first frame's pixel data is ${lzwProblem} than its declared ${f.width}x${f.height} size` +
        (lzwProblem === 'shorter' ? ' (truncated?)' : ''),
    );
  }
  const out = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; i < out.length; i += 3, j += 4) {
    out[i] = rgba[j];
    out[i + 1] = rgba[j + 1];
    out[i + 2] = rgba[j + 2];
  }
  return { width, height, data: out };
}
