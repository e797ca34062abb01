import type { ReactNode } from 'react';

/** The values at a chart's cursor (see useChartCursor), announced politely to screen readers. */
export function ChartTooltip({ cls, testId, children }: { cls: string; testId?: string; children: ReactNode }) {
  return (
    <div className={`chart-tooltip ${cls}-tooltip`} role="status" data-testid={testId}>
      {children}
    </div>
  );
}
