import { useId, useState } from 'react';
import { fmt, useMessages } from '../../i18n';
import { useSegment } from '../../stores/segment';
import { segmentWorker } from '../../workers/segment-client';

export function download(name: string, data: Blob) {
  const url = URL.createObjectURL(data);
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 2000);
}

const stem = (name: string) => name.replace(/\.[^.]*$/, '') || 'image';
const slug = (t: string) => t.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '').slice(0, 40) || 'prompt';

/** Mask PNG (original size), labels PNG, overlay PNG, raw probabilities / logits (.f32). */
export function Exports() {
  const m = useMessages();
  const s = useSegment();
  const selId = useId();
  const ready = s.prompts.filter((p) => s.done.includes(p.text));
  const [which, setWhich] = useState<string>('');
  const [error, setError] = useState<string | null>(null);
  if (!s.image || ready.length === 0) return <p className="empty-state">{m.segment.exportEmpty}</p>;
  if (s.workerLost)
    return (
      <p className="warn" data-testid="seg-worker-lost">
        {m.segment.workerLost}
      </p>
    );
  const chosen = ready.find((p) => p.id === which) ?? ready[0];
  const name = stem(s.image.name);
  const texts = ready.map((p) => p.text);
  const run = (fn: () => Promise<void>) => {
    setError(null);
    fn().catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  return (
    <div className="seg-exports">
      <div className="field">
        <label htmlFor={selId}>{m.segment.maskOf}</label>
        <select id={selId} value={chosen.id} onChange={(e) => setWhich(e.target.value)} data-testid="seg-export-prompt">
          {ready.map((p) => (
            <option key={p.id} value={p.id}>
              {p.text}
            </option>
          ))}
        </select>
      </div>
      <div className="actions">
        <button
          type="button"
          data-testid="seg-export-mask"
          onClick={() =>
            run(async () => {
              const png = await segmentWorker().maskPng({ prompts: [chosen.text], threshold: s.threshold, kind: 'mask' });
              download(`${name}.${slug(chosen.text)}.mask.png`, new Blob([png as Uint8Array<ArrayBuffer>], { type: 'image/png' }));
            })
          }
        >
          {m.segment.exportMask}
        </button>
        <button
          type="button"
          data-testid="seg-export-labels"
          onClick={() =>
            run(async () => {
              const png = await segmentWorker().maskPng({ prompts: texts, threshold: s.threshold, kind: 'labels' });
              download(`${name}.labels.png`, new Blob([png as Uint8Array<ArrayBuffer>], { type: 'image/png' }));
            })
          }
        >
          {m.segment.exportLabels}
        </button>
        <button
          type="button"
          data-testid="seg-export-overlay"
          onClick={() =>
            run(async () => {
              download(`${name}.overlay.png`, await segmentWorker().overlayPng(s.renderRequest()));
            })
          }
        >
          {m.segment.exportOverlay}
        </button>
        <button
          type="button"
          data-testid="seg-export-probs"
          onClick={() =>
            run(async () => {
              const f32 = await segmentWorker().rawMaps(texts, 'probabilities');
              download(`${name}.probabilities.${texts.length}x352x352.f32`, new Blob([f32 as Float32Array<ArrayBuffer>]));
            })
          }
        >
          {m.segment.exportProbs}
        </button>
        <button
          type="button"
          data-testid="seg-export-logits"
          onClick={() =>
            run(async () => {
              const f32 = await segmentWorker().rawMaps(texts, 'logits');
              download(`${name}.logits.${texts.length}x352x352.f32`, new Blob([f32 as Float32Array<ArrayBuffer>]));
            })
          }
        >
          {m.segment.exportLogits}
        </button>
      </div>
      <p className="help">{fmt(m.segment.exportHelp, { prompts: texts.length })}</p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
