import { fmt, useMessages } from '../../i18n';
import { useSegment } from '../../stores/segment';
import { useErrorText } from '../../i18n/errors';
import { FileDropZone } from '../../components/drop/FileDropZone';

/** Drop or pick ONE image (the first file of a drop is taken), and what became of it. */
export function ImageDrop() {
  const m = useMessages();
  const errText = useErrorText();
  const setImage = useSegment((s) => s.setImage);
  const image = useSegment((s) => s.image);
  const status = useSegment((s) => s.imageStatus);
  const error = useSegment((s) => s.imageError);
  return (
    <div>
      <FileDropZone idPrefix="seg-" text={m.segment.drop} help={m.segment.dropHelp} chooseLabel={m.segment.chooseImage} onFiles={(files) => void setImage(files[0].file)} />
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
