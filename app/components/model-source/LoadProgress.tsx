import { fmt, useFormat, useMessages } from '../../i18n';
import { ProgressBar } from '../ProgressBar';
import type { LoadSnapshot } from '../../../src/runtime/progress';

/** Download progress of a model load: overall, then one bar per file. */
export function LoadProgress({ p, testId }: { p: LoadSnapshot; testId: string }) {
  const m = useMessages();
  const f = useFormat();
  return (
    <div className="load-progress" data-testid={testId}>
      <ProgressBar value={p.total ? p.loaded / p.total : null} label={m.model.loading} text={fmt(m.model.progressOverall, { done: f.bytes(p.loaded), total: f.bytes(p.total) })} />
      <ul className="file-progress">
        {p.files.map((file) => (
          <li key={file.file}>
            <ProgressBar
              value={file.done ? 1 : file.total ? file.loaded / file.total : null}
              label={file.file}
              text={fmt(m.model.progressFile, { file: file.file, done: f.bytes(file.loaded), total: file.total ? f.bytes(file.total) : '?' })}
            />
          </li>
        ))}
      </ul>
    </div>
  );
}
