import { useEffect, useState } from 'react';
import { declaredSize } from '../../src/data/dimensions';
import { sniffFormat } from '../../src/data/sniff';
import { useObjectUrl } from './useObjectUrl';

/**
 * Above this, a dropped file is not previewed from its own bytes: the browser's <img> would decode
 * it at full size on the page's thread (a 20000×20000 PNG header costs 1.6 GB of RGBA there).
 */
const MAX_PREVIEW_PIXELS = 40_000_000;

/** The original file, when its header is an image of a size the page can afford to show. */
async function previewable(file: Blob): Promise<boolean> {
  const head = new Uint8Array(await file.slice(0, 1 << 18).arrayBuffer());
  const kind = sniffFormat(head);
  if (!kind.ok) return false;
  const size = declaredSize(head, kind.format);
  return !!size && size.width > 0 && size.height > 0 && size.width * size.height <= MAX_PREVIEW_PIXELS;
}

/**
 * An object URL to show for an image: the worker's small thumbnail when there is one; otherwise the
 * file itself, unless it failed to decode in the worker or its header declares a huge size.
 */
export function useSafePreview(thumb: Blob | undefined, file: Blob | undefined, failed: boolean): string | undefined {
  const [ok, setOk] = useState<Blob>();
  useEffect(() => {
    setOk(undefined);
    if (thumb || !file || failed) return;
    let live = true;
    previewable(file).then(
      (yes) => live && yes && setOk(file),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [thumb, file, failed]);
  return useObjectUrl(thumb ?? ok);
}
