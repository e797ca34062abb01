import { useRef, type ReactNode } from 'react';
import { useMessages } from '../../i18n';
import { downloadPng, downloadSvg } from './chart-export';

/** A figure with a caption and SVG/PNG export buttons around one chart's <svg>. */
export function ChartFrame({ title, file, testId, children }: { title: string; file: string; testId: string; children: ReactNode }) {
  const m = useMessages();
  const ref = useRef<HTMLDivElement>(null);
  const svg = () => ref.current?.querySelector('svg') ?? null;
  return (
    <figure className="x-chart" data-testid={testId}>
      <figcaption>
        <span>{title}</span>
        <span className="x-chart-export">
          <button type="button" className="ghost small" onClick={() => { const s = svg(); if (s) downloadSvg(s, file); }}>
            {m.explore.exportSvg}
          </button>
          <button type="button" className="ghost small" onClick={() => { const s = svg(); if (s) void downloadPng(s, file); }}>
            {m.explore.exportPng}
          </button>
        </span>
      </figcaption>
      <div ref={ref}>{children}</div>
    </figure>
  );
}
