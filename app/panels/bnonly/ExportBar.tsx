import { useState } from 'react';
import { useMessages } from '../../i18n';
import type { Mode } from '../../../src/bnonly/modes';
import { useBnonly } from '../../stores/bnonly';
import type { ExperimentRecord } from '../../workers/bnonly-protocol';
import { downloadText } from '../../components/charts/chart-export';
import { metricsCsv, metricsJson } from './metrics-export';

/** Metrics as CSV / JSON, and one mode's weights as JSON (built in the worker from its checkpoint). */
export function ExportBar({ r }: { r: ExperimentRecord }) {
  const m = useMessages().bnonly;
  const exportWeights = useBnonly((s) => s.exportWeights);
  const [mode, setMode] = useState<Mode>(r.runs.find((x) => x.mode === 'bn')?.mode ?? r.runs[0]?.mode ?? 'bn');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const base = `bnonly-${r.id}`;
  const weights = async () => {
    setBusy(true);
    setError(null);
    try {
      downloadText(await exportWeights(r.id, mode), `${base}-${mode.replace('+', '-')}-weights.json`, 'application/json');
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="section" aria-labelledby="bn-export">
      <h3 id="bn-export">{m.exportHeading}</h3>
      <div className="actions">
        <button type="button" data-testid="bn-export-csv" onClick={() => downloadText(metricsCsv(r), `${base}-metrics.csv`, 'text/csv')}>
          {m.exportCsv}
        </button>
        <button type="button" data-testid="bn-export-json" onClick={() => downloadText(metricsJson(r), `${base}-metrics.json`, 'application/json')}>
          {m.exportJson}
        </button>
        <label className="inline">
          {m.exportWeightsOf}
          <select value={mode} onChange={(e) => setMode(e.target.value as Mode)} data-testid="bn-weights-mode">
            {r.runs.map((x) => (
              <option key={x.mode} value={x.mode}>
                {x.mode}
              </option>
            ))}
          </select>
        </label>
        <button type="button" data-testid="bn-export-weights" disabled={busy || r.runs.length === 0} onClick={() => void weights()}>
          {busy ? m.exporting : m.exportWeights}
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
