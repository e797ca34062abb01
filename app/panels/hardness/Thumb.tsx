import { useObjectUrl } from '../../components/useObjectUrl';
import type { ImageItem } from '../../stores/images';

/** The worker's small thumbnail, else the file itself (decoded lazily by the browser). */
export function Thumb({ item, size = 48 }: { item: ImageItem; size?: number }) {
  const url = useObjectUrl(item.thumb ?? item.file);
  return (
    <span className="hard-thumb" style={{ width: size, height: size }}>
      {url ? <img src={url} alt="" loading="lazy" decoding="async" /> : <span aria-hidden="true">▨</span>}
    </span>
  );
}
