import { useRef, type ReactNode } from 'react';
import { useMessages } from '../../i18n';
import { exportPng, exportSvg } from './chart-export';

/**
 * A chart's title and its PNG / SVG export buttons around the chart's <svg>. `cls` is the panel's class prefix
 * (`bn`, `x`): the frame is `${cls}-figure`, so each panel's stylesheet keeps styling its charts.
 */
export function ChartFrame(props: { title: string; fileName: string; testId: string; cls: string; disabled?: boolean; children: ReactNode }) {
  // bnonly and explore carry the same two labels; they belong in `common` once i18n is free to edit.
  const m = useMessages().bnonly;
  const body = useRef<HTMLDivElement>(null);
  const svg = () => body.current?.querySelector('svg') ?? null;
  const c = `${props.cls}-figure`;
  return (
    <figure className={c} data-testid={props.testId}>
      <figcaption className={`${c}-head`}>
        <span className={`${c}-title`}>{props.title}</span>
        <span className={`${c}-actions`}>
          <button type="button" className="ghost small" disabled={props.disabled} onClick={() => { const s = svg(); if (s) void exportPng(s, `${props.fileName}.png`); }}>
            {m.exportPng}
          </button>
          <button type="button" className="ghost small" disabled={props.disabled} onClick={() => { const s = svg(); if (s) exportSvg(s, `${props.fileName}.svg`); }}>
            {m.exportSvg}
          </button>
        </span>
      </figcaption>
      <div ref={body} className={`${c}-body`}>
        {props.children}
      </div>
    </figure>
  );
}
