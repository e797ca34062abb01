import { useEffect, useRef, useState } from 'react';
import { useImages, type DroppedFile } from '../../stores/images';
import { useMessages } from '../../i18n';
import { filesFromDataTransfer, filesFromInput, visibleFiles } from './drop';
import { DIRECTORY_PICKER } from './ModelSection';

/** Drop files or folders, paste, or pick with the keyboard-accessible buttons. */
export function DropZone() {
  const m = useMessages();
  const add = useImages((s) => s.add);
  const [over, setOver] = useState(false);
  const filesRef = useRef<HTMLInputElement>(null);
  const folderRef = useRef<HTMLInputElement>(null);
  const take = (files: DroppedFile[]) => files.length && add(visibleFiles(files));

  useEffect(() => {
    const onPaste = (e: ClipboardEvent) => {
      const t = e.target as HTMLElement | null;
      // Pasting text into the class editor stays text.
      if (t && (t.tagName === 'TEXTAREA' || t.tagName === 'INPUT')) return;
      if (e.clipboardData?.files.length) {
        e.preventDefault();
        void filesFromDataTransfer(e.clipboardData).then(take);
      }
    };
    window.addEventListener('paste', onPaste);
    return () => window.removeEventListener('paste', onPaste);
  });

  return (
    <div
      className={`dropzone${over ? ' over' : ''}`}
      data-testid="dropzone"
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
        <span aria-hidden="true" className="drop-icon">⇪</span> {m.clip.drop}{' '}
        <button type="button" className="link" onClick={() => filesRef.current?.click()}>
          {m.clip.chooseFiles}
        </button>{' '}
        ·{' '}
        <button type="button" className="link" onClick={() => folderRef.current?.click()}>
          {m.clip.chooseFolder}
        </button>
      </p>
      <p className="help">{m.clip.dropHelp}</p>
      <input
        ref={filesRef}
        type="file"
        multiple
        accept="image/*,.png,.jpg,.jpeg,.webp,.gif,.bmp,.avif"
        hidden
        data-testid="file-input"
        aria-label={m.clip.chooseFiles}
        onChange={(e) => {
          take(filesFromInput(e.target.files));
          e.target.value = '';
        }}
      />
      <input
        ref={folderRef}
        type="file"
        hidden
        data-testid="folder-input"
        aria-label={m.clip.chooseFolder}
        {...DIRECTORY_PICKER}
        onChange={(e) => {
          take(filesFromInput(e.target.files));
          e.target.value = '';
        }}
      />
    </div>
  );
}
