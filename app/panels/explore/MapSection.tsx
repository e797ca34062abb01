import { useMemo, useState } from 'react';
import { fmt, useMessages } from '../../i18n';
import { useImages } from '../../stores/images';
import { labelOf, useExplore, type MapColour } from '../../stores/explore';
import { ChartFrame } from '../../components/charts/ChartFrame';
import { ScatterMap, type MapPoint } from './ScatterMap';
import { useErrorText } from '../../i18n/errors';

/** The 2-D embedding map (UMAP, or PCA when few points), coloured by label or prediction. */
export function MapSection() {
  const m = useMessages();
  const errText = useErrorText();
  const items = useImages((s) => s.items);
  const byId = useMemo(() => new Map(items.map((i) => [i.id, i])), [items]);
  const s = useExplore();
  const [selected, setSelected] = useState<string[]>([]);
  const [assign, setAssign] = useState('');
  const map = s.map;

  const { points, groups } = useMemo(() => {
    if (!map) return { points: [] as MapPoint[], groups: [] as string[] };
    let groups: string[];
    let groupOf: (id: string) => number;
    if (s.mapColour === 'label') {
      groups = [...new Set(map.ids.map((id) => byId.get(id)).flatMap((i) => (i && labelOf(i, s.manual) ? [labelOf(i, s.manual)!] : [])))].sort();
      groupOf = (id) => {
        const i = byId.get(id);
        return i ? groups.indexOf(labelOf(i, s.manual) ?? '\u0000') : -1;
      };
    } else {
      const pred = s.mapColour === 'zeroshot' ? s.zeroShot : s.headPredictions;
      groups = pred?.classes ?? [];
      groupOf = (id) => pred?.byId[id] ?? -1;
    }
    const points = map.ids.map((id, i) => ({ id, x: map.points[2 * i], y: map.points[2 * i + 1], group: groupOf(id) }));
    return { points, groups };
  }, [map, s.mapColour, s.manual, s.zeroShot, s.headPredictions, byId]);

  const prompts = map ? map.classes.map((name, i) => ({ name, x: map.prompts[2 * i], y: map.prompts[2 * i + 1] })).filter((p) => Number.isFinite(p.x)) : [];
  const axis: [string, string] = map?.method === 'umap' ? ['UMAP 1', 'UMAP 2'] : [m.explore.pc1, m.explore.pc2];

  return (
    <section className="section" aria-labelledby="x-map-h">
      <h3 id="x-map-h">{m.explore.mapTitle}</h3>
      <p className="help">{m.explore.mapHelp}</p>
      <div className="x-controls">
        <label className="inline">
          <span>{m.explore.mapMethod}</span>
          <select value={s.mapMethod} onChange={(e) => s.setMapMethod(e.target.value as 'auto' | 'pca' | 'umap')}>
            <option value="auto">{m.explore.methodAuto}</option>
            <option value="pca">PCA</option>
            <option value="umap">UMAP</option>
          </select>
        </label>
        <button type="button" className="button" disabled={s.status !== 'ready' || s.mapRunning} onClick={() => void s.buildMap()} data-testid="build-map">
          {s.mapRunning ? m.explore.mapRunning : m.explore.buildMap}
        </button>
        <label className="inline">
          <span>{m.explore.colourBy}</span>
          <select value={s.mapColour} onChange={(e) => s.setMapColour(e.target.value as MapColour)} data-testid="map-colour">
            <option value="label">{m.explore.colourLabel}</option>
            <option value="zeroshot">{m.explore.colourZeroShot}</option>
            <option value="probe" disabled={!s.headPredictions}>
              {m.explore.colourProbe}
            </option>
          </select>
        </label>
      </div>
      {s.mapError && <p className="error">{errText(s.mapError)}</p>}
      {map && (
        <ChartFrame title={fmt(m.explore.mapChart, { method: map.method.toUpperCase(), n: points.length })} fileName="embedding-map" testId="embed-map" cls="x">
          <ScatterMap points={points} prompts={prompts} groups={groups} items={byId} axis={axis} selected={selected} onSelect={setSelected} />
        </ChartFrame>
      )}
      {selected.length > 0 && (
        <div className="x-controls" data-testid="lasso-selection">
          <span className="small">{fmt(m.explore.selected, { n: selected.length })}</span>
          <input value={assign} onChange={(e) => setAssign(e.target.value)} placeholder={m.explore.className} aria-label={m.explore.className} />
          <button
            type="button"
            className="ghost"
            disabled={!assign.trim()}
            onClick={() => {
              selected.forEach((id) => s.setLabel(id, assign.trim()));
              setSelected([]);
            }}
          >
            {m.explore.assign}
          </button>
          <button type="button" className="ghost" onClick={() => setSelected([])}>
            {m.explore.clearSelection}
          </button>
        </div>
      )}
    </section>
  );
}
