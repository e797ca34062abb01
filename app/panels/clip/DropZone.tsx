import { useEffect } from 'react';
import { useImages, type DroppedFile } from '../../stores/images';
import { useMessages } from '../../i18n';
import { FileDropZone } from '../../components/drop/FileDropZone';
import { filesFromDataTransfer, visibleFiles } from '../../components/drop/drop-files';

/** Drop files or folders, paste, or pick with the keyboard-accessible buttons. */
export function DropZone() {
  const m = useMessages();
  const add = useImages((s) => s.add);

  useEffect(() => {
    const take = (files: DroppedFile[]) => files.length && add(visibleFiles(files));
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
  }, [add]);

  return <FileDropZone idPrefix="" text={m.clip.drop} help={m.clip.dropHelp} chooseLabel={m.clip.chooseFiles} multiple folderLabel={m.clip.chooseFolder} onFiles={add} />;
}
