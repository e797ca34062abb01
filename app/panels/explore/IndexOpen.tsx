import { FileDropZone } from '../../components/drop/FileDropZone';
import { fmt, useFormat, useMessages } from '../../i18n';
import { useErrorText } from '../../i18n/errors';
import { useIndexImport } from '../../stores/index-import';

/**
 * Opening an embedding index made by `cli embed`: drop its Parquet files or folder, or give a URL (a
 * .parquet file, or the folder holding the `_manifest.json` that embed writes). One index for the lab:
 * the explore and hardness panels both show this (`idPrefix` keeps their test ids apart).
 */
export function IndexOpen({ idPrefix }: { idPrefix: string }) {
  const m = useMessages().embedIndex;
  const f = useFormat();
  const errText = useErrorText();
  const s = useIndexImport();
  return (
    <>
      <FileDropZone
        idPrefix={idPrefix}
        text={m.drop}
        help={m.dropHelp}
        chooseLabel={m.choose}
        multiple
        folderLabel={m.chooseFolder}
        accept=".parquet"
        onFiles={(files) => void s.open(files)}
      />
      <form
        className="x-controls"
        onSubmit={(e) => {
          e.preventDefault();
          void s.openUrl();
        }}
      >
        <label className="inline">
          <span>{m.urlLabel}</span>
          <input type="url" value={s.url} placeholder={m.urlPlaceholder} onChange={(e) => s.setUrl(e.target.value)} data-testid={`${idPrefix}url`} style={{ minWidth: '24em' }} />
        </label>
        <button type="submit" className="ghost" disabled={!s.url.trim() || s.status === 'loading'} data-testid={`${idPrefix}url-open`}>
          {m.urlOpen}
        </button>
      </form>
      <p className="muted small" role="status" data-testid={`${idPrefix}status`} data-status={s.status} data-from={s.summary?.from}>
        {s.status === 'loading' && m.loading}
        {s.summary &&
          s.status !== 'loading' &&
          fmt(m.ready, { rows: f.num(s.summary.rows, 0), dim: s.summary.dim, parts: s.summary.parts, model: s.summary.models.join(', '), dtype: s.summary.dtypes.join(', '), s: f.num(s.summary.seconds, 1) })}
      </p>
      {s.error && (
        <p className="error" data-testid={`${idPrefix}error`}>
          {fmt(m.refused, { reason: errText(s.error) })}
        </p>
      )}
    </>
  );
}
