import { useState } from 'react';
import { fmt, useFormat, useMessages } from '../../i18n';
import { humanAgreement, parseHumanCsv, type HumanScores } from './human';
import type { HardRow } from './derive';

/** Load per-image human scores (CSV) and compare their ranks with AVH's and confidence's. */
export function HumanAgreement({ rows }: { rows: HardRow[] }) {
  const m = useMessages();
  const f = useFormat();
  const [h, setH] = useState<HumanScores | null>(null);
  const [error, setError] = useState<string | null>(null);
  const r = h ? humanAgreement(rows, h) : null;
  const rho = (v: number) => (Number.isFinite(v) ? f.num(v, 3) : '—');
  return (
    <div className="hard-human">
      <label className="inline">
        <span>{m.hardness.humanLoad}</span>
        <input
          type="file"
          accept=".csv,text/csv,text/plain"
          data-testid="hard-human-input"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (!file) return;
            setError(null);
            file
              .text()
              .then((t) => setH(parseHumanCsv(t, file.name)))
              .catch((err: unknown) => setError(`${file.name}: ${err instanceof Error ? err.message : String(err)}`));
          }}
        />
      </label>
      <p className="help">{m.hardness.humanHelp}</p>
      {error && <p className="error" role="alert">{error}</p>}
      {h && r && (
        <p data-testid="hard-human-result" data-n={r.n} data-rho-avh={r.avh} data-rho-conf={r.confidence}>
          {fmt(m.hardness.humanResult, { file: h.file, n: r.n, avh: rho(r.avh), conf: rho(r.confidence) })}
          {h.skipped > 0 && <span className="muted small"> {fmt(m.hardness.humanSkipped, { n: h.skipped })}</span>}
        </p>
      )}
    </div>
  );
}
