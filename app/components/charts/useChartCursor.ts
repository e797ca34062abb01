import { useState, type KeyboardEvent } from 'react';

/**
 * The point whose values a chart's tooltip shows: set by the pointer, or by the keyboard once the chart has
 * focus (ArrowRight / ArrowLeft step through the `count` points in the chart's order, Home / End jump to the
 * ends, Escape hides it). Leaving the chart, by pointer or focus, hides it. One mechanism for every chart:
 * line charts step through x values, scatter plots through points, histograms through bins.
 */
export function useChartCursor(count: number) {
  const [raw, setIndex] = useState<number | null>(null);
  const index = raw === null || count === 0 ? null : Math.max(0, Math.min(count - 1, raw));
  const onKeyDown = (e: KeyboardEvent) => {
    const to = cursorKey(e.key, index, count);
    if (to === undefined) return;
    setIndex(to);
    e.preventDefault();
  };
  const hide = () => setIndex(null);
  return {
    index,
    setIndex,
    /** spread on the chart's <svg> */
    svgProps: { tabIndex: 0, onKeyDown, onBlur: hide, onPointerLeave: hide, 'aria-keyshortcuts': 'ArrowLeft ArrowRight Home End Escape' },
  };
}

/** Where a key moves the cursor of `count` points from `index` (null: hidden): a point, null to hide, undefined when the key is not the chart's. */
export function cursorKey(key: string, index: number | null, count: number): number | null | undefined {
  if (key === 'Escape') return null;
  const to = { ArrowRight: index === null ? 0 : index + 1, ArrowLeft: index === null ? count - 1 : index - 1, Home: 0, End: count - 1 }[key];
  return to === undefined || count === 0 ? undefined : Math.max(0, Math.min(count - 1, to));
}
