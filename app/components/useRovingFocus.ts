import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type RefObject } from 'react';

interface Options {
  count: number;
  /** items per row: a grid when above 1 (left / right move by one, up / down by a row) */
  cols?: number;
  /** the scrolling container: it handles the keys */
  container: RefObject<HTMLElement | null>;
  /** one row's height in px, for Page Up / Page Down */
  rowHeight: number;
  /** brings item i into view (a virtualizer's scrollToIndex) */
  scrollTo(i: number): void;
  /** selector of item i's focusable element inside the container */
  selector(i: number): string;
}

/**
 * Roving focus over a virtual list or grid: one item is in the tab order (tabIndex 0 when `active`), and the
 * container handles the arrow keys, Page Up / Down, Home and End from the active index, scrolls the new item
 * into view and focuses it once the virtualizer has rendered it. Because the container, not the item, handles
 * the keys, they keep moving items when a mouse user has scrolled the active item out of the DOM and Tab
 * lands on the container itself.
 */
export function useRovingFocus({ count, cols = 1, container, rowHeight, scrollTo, selector }: Options) {
  const [raw, setRaw] = useState(0);
  const active = Math.max(0, Math.min(raw, count - 1));
  // Keys can come faster than renders: each one moves from the last key's item, not from a stale render.
  const latest = useRef(0);
  const setActive = useCallback((i: number) => {
    latest.current = i;
    setRaw(i);
  }, []);
  // Set when a key moved the active item: it takes focus once rendered.
  const focusWanted = useRef(false);
  // Only the newest wait may focus: an older one (a key pressed while its item was still off-screen) would
  // otherwise land after it and steal focus back to a stale item.
  const attempt = useRef(0);
  useEffect(() => {
    if (!focusWanted.current) return;
    const mine = ++attempt.current;
    let tries = 0;
    const tryFocus = () => {
      if (mine !== attempt.current || !focusWanted.current) return;
      const el = container.current?.querySelector<HTMLElement>(selector(Math.max(0, Math.min(latest.current, count - 1))));
      if (el) {
        focusWanted.current = false;
        el.focus();
      } else if (++tries < 60) requestAnimationFrame(tryFocus);
    };
    tryFocus();
  });
  const moveTo = (i: number) => {
    const next = Math.max(0, Math.min(count - 1, i));
    // The focused item may scroll out of the DOM before the new one renders: the list holds focus meanwhile,
    // so keys pressed in between still reach it rather than the page.
    const box = container.current;
    if (box && box.contains(document.activeElement) && document.activeElement !== box) box.focus({ preventScroll: true });
    focusWanted.current = true;
    setActive(next);
    scrollTo(next);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const pageRows = Math.max(1, Math.floor((container.current?.clientHeight ?? rowHeight) / rowHeight) - 1);
    const to = rovingTarget(e.key, Math.max(0, Math.min(latest.current, count - 1)), count, cols, pageRows);
    if (to === undefined) return;
    e.preventDefault();
    moveTo(to);
  };
  /** gives focus back to the active item (after a details view closes) */
  const focusActive = () => moveTo(active);
  return { active, setActive, onKeyDown, focusActive };
}

/** The item a key moves to from `active` among `count` in rows of `cols` (a page is `pageRows` rows), or undefined when the key is not the list's. */
export function rovingTarget(key: string, active: number, count: number, cols: number, pageRows: number): number | undefined {
  const page = pageRows * cols;
  const sideways = cols > 1 ? { ArrowRight: active + 1, ArrowLeft: active - 1 } : {};
  const to = ({ ArrowDown: active + cols, ArrowUp: active - cols, ...sideways, PageDown: active + page, PageUp: active - page, Home: 0, End: count - 1 } as Record<string, number>)[key];
  return to === undefined || count === 0 ? undefined : Math.max(0, Math.min(count - 1, to));
}
