import { useObjectUrl } from '../../components/useObjectUrl';
import type { ImageItem } from '../../stores/images';

/** An image's thumbnail (the worker's small JPEG when there is one, else the file itself). */
export function Thumb({ item, size = 96 }: { item: ImageItem | undefined; size?: number }) {
  const url = useObjectUrl(item?.thumb ?? item?.file);
  return (
    <span className="x-thumb" style={{ width: size, height: size }}>
      {url ? <img src={url} alt={item?.path ?? ''} loading="lazy" decoding="async" /> : <span aria-hidden="true">▨</span>}
    </span>
  );
}
