import { useSafePreview } from '../../components/useSafePreview';
import type { ImageItem } from '../../stores/images';

/** The worker's small thumbnail, else the file itself when its header is a sane size (see useSafePreview). */
export function Thumb({ item, size = 48 }: { item: ImageItem; size?: number }) {
  const url = useSafePreview(item.thumb, item.file, false);
  return (
    <span className="hard-thumb" style={{ width: size, height: size }}>
      {url ? <img src={url} alt="" loading="lazy" decoding="async" /> : <span aria-hidden="true">▨</span>}
    </span>
  );
}
