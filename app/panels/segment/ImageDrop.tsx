import { useRef, useState } from 'react';
import { fmt, useMessages } from '../../i18n';
import { useSegment } from '../../stores/segment';
import { useErrorText } from '../../i18n/errors';

/** Drop, paste-free, or pick ONE image (the first file of a drop is taken). */
export function ImageDrop() {
  const m = useMessages();
  const errText = useErrorText();
  const setImage = useSegment((s) => s.setImage);
  const image = useSegment((s) => s.image);
  const status = useSegment((s) => s.imageStatus);
  const error = useSegment((s) => s.imageError);
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const take = (files: FileList | null | undefined) => {
    const f = files?.[0];
    if (f) void setImage(f);
  };
  return (
    <div>
      <div
        className={`dropzone${over ? ' over' : ''}`}
        data-testid="seg-dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          take(e.dataTransfer.files);
        }}
      >
        <p>
          <span aria-hidden="true" className="drop-icon">⇪</span> {m.segment.drop}{' '}
          <button type="button" className="link" onClick={() => input.current?.click()}>
            {m.segment.chooseImage}
          </button>
        </p>
        <p className="help">{m.segment.dropHelp}</p>
        <input
          ref={input}
          type="file"
          accept="image/*,.png,.jpg,.jpeg,.webp,.gif,.bmp,.avif"
          hidden
          data-testid="seg-file-input"
          aria-label={m.segment.chooseImage}
          onChange={(e) => {
            take(e.target.files);
            e.target.value = '';
          }}
        />
      </div>
      <div aria-live="polite" className="status-line">
        {status === 'decoding' && <p className="muted">{m.segment.decoding}</p>}
        {status === 'error' && (
          <p className="error" role="alert" data-testid="seg-image-error">
            {fmt(m.segment.imageFailed, { message: errText(error) })}
          </p>
        )}
        {image && status === 'ready' && (
          <p className="muted small" data-testid="seg-image-info" data-width={image.width} data-height={image.height}>
            {fmt(m.segment.imageInfo, { name: image.name, w: image.width, h: image.height })}
          </p>
        )}
      </div>
    </div>
  );
}
