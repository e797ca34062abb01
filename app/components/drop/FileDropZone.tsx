import { useRef, useState, type ChangeEvent } from 'react';
import type { DroppedFile } from '../../stores/images';
import { DIRECTORY_PICKER } from '../directory-picker';
import { filesFromDataTransfer, filesFromInput, visibleFiles } from './drop-files';

const IMAGE_ACCEPT = 'image/*,.png,.jpg,.jpeg,.webp,.gif,.bmp,.avif';

interface Props {
  /** prefixes the test ids (dropzone, file-input, folder-input): '' or 'seg-' */
  idPrefix: string;
  text: string;
  help: string;
  /** the file picker button's text and its input's accessible name */
  chooseLabel: string;
  multiple?: boolean;
  /** label of a second button that picks a whole folder; none when unset */
  folderLabel?: string;
  /** what the file picker offers (default: images) */
  accept?: string;
  /** test ids where the prefixed defaults (`${idPrefix}file-input`) do not fit */
  testIds?: { input?: string; choose?: string };
  /** an extra class on the zone (panel styling) */
  className?: string;
  /** files dropped or picked, hidden ones (.DS_Store) left out; never empty */
  onFiles(files: DroppedFile[]): void;
}

/** Drop files (folders walked), or pick them with keyboard-accessible buttons behind hidden inputs. */
export function FileDropZone({ idPrefix, text, help, chooseLabel, multiple = false, folderLabel, accept = IMAGE_ACCEPT, testIds = {}, className, onFiles }: Props) {
  const [over, setOver] = useState(false);
  const filesRef = useRef<HTMLInputElement>(null);
  const folderRef = useRef<HTMLInputElement>(null);
  const take = (files: DroppedFile[]) => {
    const visible = visibleFiles(files);
    if (visible.length) onFiles(visible);
  };
  const fromInput = (e: ChangeEvent<HTMLInputElement>) => {
    take(filesFromInput(e.target.files));
    // the same file picked again must fire onChange again
    e.target.value = '';
  };

  return (
    <div
      className={`dropzone${className ? ` ${className}` : ''}${over ? ' over' : ''}`}
      data-testid={`${idPrefix}dropzone`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        void filesFromDataTransfer(e.dataTransfer).then(take);
      }}
    >
      <p>
        <span aria-hidden="true" className="drop-icon">⇪</span> {text}{' '}
        <button type="button" className="link" onClick={() => filesRef.current?.click()} data-testid={testIds.choose}>
          {chooseLabel}
        </button>
        {folderLabel && (
          <>
            {' '}·{' '}
            <button type="button" className="link" onClick={() => folderRef.current?.click()}>
              {folderLabel}
            </button>
          </>
        )}
      </p>
      <p className="help">{help}</p>
      <input ref={filesRef} type="file" multiple={multiple} accept={accept} hidden data-testid={testIds.input ?? `${idPrefix}file-input`} aria-label={chooseLabel} onChange={fromInput} />
      {folderLabel && <input ref={folderRef} type="file" hidden data-testid={`${idPrefix}folder-input`} aria-label={folderLabel} {...DIRECTORY_PICKER} onChange={fromInput} />}
    </div>
  );
}
