import { useState } from 'react';
import { fmt, useFormat, useMessages } from '../../i18n';
import { FileDropZone } from '../../components/drop/FileDropZone';
import { humanAgreement, loadHumanScores, type HumanScores } from './human';
import type { HardRow } from './derive';
import type { Dataset } from './dataset';

/** Load per-image human scores (CSV or .npy) and compare their ranks with AVH's and confidence's. */
export function HumanAgreement({ rows, data }: { rows: HardRow[]; data: Dataset }) {
  const m = useMessages();
  const f = useFormat();
  const [h, setH] = useState<HumanScores | null>(null);
  const [error, setError] = useState<string | null>(null);
  const r = h ? humanAgreement(rows, h) : null;
  const rho = (v: number) => (Number.isFinite(v) ? f.num(v, 3) : '—');
  const take = (file: File) => {
    setError(null);
    file
      .arrayBuffer()
      .then((b) => setH(loadHumanScores(new Uint8Array(b), file.name, data)))
      .catch((err: unknown) => {
        setH(null);
        const msg = err instanceof Error ? err.message : String(err);
        setError(msg.startsWith(`${file.name}:`) ? msg : `${file.name}: ${msg}`);
      });
  };
  return (
    <div className="hard-human">
      <FileDropZone
        idPrefix="hard-human-"
        className="hard-human-drop"
        text={m.hardness.humanDrop}
        help={m.hardness.humanFormats}
        chooseLabel={m.hardness.humanChoose}
        accept=".csv,.npy,text/csv,text/plain,application/octet-stream"
        testIds={{ input: 'hard-human-input', choose: 'hard-human-choose' }}
        onFiles={(files) => take(files[0].file)}
      />
      {error && (
        <p className="error" role="alert" data-testid="hard-human-error">
          {error}
        </p>
      )}
      {h && r && (
        <p data-testid="hard-human-result" data-n={r.n} data-rho-avh={r.avh} data-rho-conf={r.confidence}>
          {fmt(m.hardness.humanResult, { file: h.file, n: r.n, avh: rho(r.avh), conf: rho(r.confidence) })}
          {h.skipped > 0 && <span className="muted small"> {fmt(m.hardness.humanSkipped, { n: h.skipped })}</span>}
        </p>
      )}
    </div>
  );
}
