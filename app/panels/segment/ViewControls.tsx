import { useId } from 'react';
import { useFormat, useMessages } from '../../i18n';
import { useSegment } from '../../stores/segment';
import type { SegView } from '../../workers/segment-protocol';

/** Threshold, opacity and view (heatmap / mask / labels). */
export function ViewControls() {
  const m = useMessages();
  const f = useFormat();
  const s = useSegment();
  const ids = { t: useId(), o: useId() };
  const views: [SegView, string][] = [
    ['heatmap', m.segment.viewHeatmap],
    ['mask', m.segment.viewMask],
    ['labels', m.segment.viewLabels],
  ];
  return (
    <div className="seg-controls">
      <fieldset className="seg-views">
        <legend>{m.segment.view}</legend>
        {views.map(([v, label]) => (
          <label key={v} className="inline">
            <input type="radio" name="seg-view" value={v} checked={s.view === v} onChange={() => s.setView({ view: v })} data-testid={`seg-view-${v}`} />
            {label}
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor={ids.t}>
          {m.segment.threshold}: <output data-testid="seg-threshold-value">{f.num(s.threshold, 2)}</output>
        </label>
        <input id={ids.t} type="range" min={0} max={1} step={0.01} value={s.threshold} onChange={(e) => s.setView({ threshold: Number(e.target.value) })} data-testid="seg-threshold" />
        <p className="help">{m.segment.thresholdHelp}</p>
      </div>
      <div className="field">
        <label htmlFor={ids.o}>
          {m.segment.opacity}: <output>{f.pct(s.opacity, 0)}</output>
        </label>
        <input id={ids.o} type="range" min={0} max={1} step={0.05} value={s.opacity} onChange={(e) => s.setView({ opacity: Number(e.target.value) })} data-testid="seg-opacity" />
      </div>
    </div>
  );
}
