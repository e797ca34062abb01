import type { ReactNode, RefObject } from 'react';
import { useMessages } from '../../i18n';
import { exportPng, exportSvg } from './chart-export';

/** A chart's title and its PNG / SVG export buttons. */
export function ChartFrame(props: {
  title: string;
  svgRef: RefObject<SVGSVGElement | null>;
  fileName: string;
  testId: string;
  disabled?: boolean;
  children: ReactNode;
}) {
  const m = useMessages().bnonly;
  const svg = () => props.svgRef.current;
  return (
    <figure className="bn-figure" data-testid={props.testId}>
      <figcaption className="bn-figure-head">
        <span className="bn-figure-title">{props.title}</span>
        <span className="bn-figure-actions">
          <button type="button" className="ghost small" disabled={props.disabled} onClick={() => svg() && void exportPng(svg()!, `${props.fileName}.png`)}>
            {m.exportPng}
          </button>
          <button type="button" className="ghost small" disabled={props.disabled} onClick={() => svg() && exportSvg(svg()!, `${props.fileName}.svg`)}>
            {m.exportSvg}
          </button>
        </span>
      </figcaption>
      <div className="bn-figure-body">{props.children}</div>
    </figure>
  );
}
