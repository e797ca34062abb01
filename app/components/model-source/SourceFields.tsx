import { useId } from 'react';
import { fmt, useMessages } from '../../i18n';
import { DIRECTORY_PICKER } from '../directory-picker';
import { pickedFolder, type SourceKind } from '../../stores/model-source';
import type { ModelState } from '../../stores/model-store';

interface Props {
  s: ModelState;
  busy: boolean;
  hubModels: readonly string[];
  /** shows the URL id field's expected shape */
  defaultId: string;
  tid(name: string): string;
}

/** The source picker (Hub id, self-hosted URL, local folder) and the picked source's own fields. */
export function SourceFields({ s, busy, hubModels, defaultId, tid }: Props) {
  const m = useMessages();
  const ids = { kind: useId(), hub: useId(), host: useId(), urlId: useId(), folder: useId() };
  return (
    <>
      <label htmlFor={ids.kind}>{m.model.source}</label>
      <select id={ids.kind} value={s.kind} disabled={busy} onChange={(e) => s.set({ kind: e.target.value as SourceKind })} data-testid={tid('model-kind')}>
        <option value="hub">{m.model.sourceHub}</option>
        <option value="url">{m.model.sourceUrl}</option>
        <option value="folder">{m.model.sourceFolder}</option>
      </select>

      {s.kind === 'hub' && (
        <>
          <label htmlFor={ids.hub}>{m.model.hubId}</label>
          <div>
            <input id={ids.hub} list={`${ids.hub}-list`} value={s.hubId} disabled={busy} onChange={(e) => s.set({ hubId: e.target.value })} spellCheck={false} />
            <datalist id={`${ids.hub}-list`}>
              {hubModels.map((id) => (
                <option key={id} value={id} />
              ))}
            </datalist>
          </div>
        </>
      )}

      {s.kind === 'url' && (
        <>
          <label htmlFor={ids.host}>{m.model.host}</label>
          <div>
            <input id={ids.host} type="url" value={s.host} placeholder="https://models.example.org/" disabled={busy} onChange={(e) => s.set({ host: e.target.value })} spellCheck={false} data-testid={tid('model-host')} aria-describedby={`${ids.host}-help`} />
            <p id={`${ids.host}-help`} className="help">{m.model.hostHelp}</p>
          </div>
          <label htmlFor={ids.urlId}>{m.model.hubId}</label>
          <input id={ids.urlId} value={s.urlId} placeholder={`org/${defaultId.split('/').pop()}`} disabled={busy} onChange={(e) => s.set({ urlId: e.target.value })} spellCheck={false} data-testid={tid('model-id')} />
        </>
      )}

      {s.kind === 'folder' && (
        <>
          <label htmlFor={ids.folder}>{m.model.folderPick}</label>
          <div>
            <input
              id={ids.folder}
              type="file"
              disabled={busy}
              {...DIRECTORY_PICKER}
              onChange={(e) => {
                const folder = pickedFolder(e.target.files);
                if (folder) s.set({ folder });
              }}
            />
            <p className="help">{s.folder ? fmt(m.model.folderPicked, { n: s.folder.files.size, name: s.folder.name }) : m.model.folderNone}</p>
          </div>
        </>
      )}
    </>
  );
}
