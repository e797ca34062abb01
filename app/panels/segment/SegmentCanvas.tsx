import { useEffect, useRef } from 'react';
import { fmt, useMessages } from '../../i18n';
import { useSegment } from '../../stores/segment';

/** The image and its overlay at native resolution (two stacked canvases, scaled by CSS). Click = probe. */
export function SegmentCanvas() {
  const m = useMessages();
  const image = useSegment((s) => s.image);
  const overlay = useSegment((s) => s.overlay);
  const overlayOf = useSegment((s) => s.overlayOf);
  const probe = useSegment((s) => s.probe);
  const probeAt = useSegment((s) => s.probeAt);
  const base = useRef<HTMLCanvasElement>(null);
  const over = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const c = base.current;
    if (!c || !image) return;
    c.width = image.width;
    c.height = image.height;
    c.getContext('2d')!.drawImage(image.bitmap, 0, 0);
  }, [image]);

  useEffect(() => {
    const c = over.current;
    if (!c || !image) return;
    c.width = image.width;
    c.height = image.height;
    const ctx = c.getContext('2d')!;
    ctx.clearRect(0, 0, c.width, c.height);
    const drawn = overlay && overlayOf && overlay.width === image.width && overlay.height === image.height;
    if (drawn) ctx.drawImage(overlay, 0, 0);
    // Set here, right after drawing (not as JSX attributes, which land before this effect runs): what the pixels show.
    c.dataset.view = drawn ? overlayOf.view : '';
    c.dataset.threshold = drawn ? String(overlayOf.threshold) : '';
    c.dataset.layers = drawn ? String(overlayOf.layers.length) : '0';
  }, [overlay, overlayOf, image]);

  if (!image)
    return (
      <div className="empty-state">
        <p>{m.segment.emptyImage}</p>
        <button type="button" className="ghost" data-testid="seg-sample" onClick={() => void import('../../demos/clip-demos').then((d) => d.runSegmentDemo())}>
          {m.segment.trySample}
        </button>
      </div>
    );

  const pick = (clientX: number, clientY: number) => {
    const r = over.current!.getBoundingClientRect();
    const x = Math.min(image.width - 1, Math.max(0, Math.floor(((clientX - r.left) / r.width) * image.width)));
    const y = Math.min(image.height - 1, Math.max(0, Math.floor(((clientY - r.top) / r.height) * image.height)));
    void probeAt(x, y);
  };

  return (
    <figure className="seg-figure">
      <div className="seg-stack" style={{ aspectRatio: `${image.width} / ${image.height}`, width: `min(100%, calc(75vh * ${image.width / image.height}))` }}>
        <canvas ref={base} className="seg-base" data-testid="seg-base-canvas" aria-hidden="true" />
        <canvas
          ref={over}
          className="seg-overlay"
          data-testid="seg-overlay-canvas"
          role="img"
          aria-label={fmt(m.segment.canvasLabel, { name: image.name })}
          tabIndex={0}
          onClick={(e) => pick(e.clientX, e.clientY)}
          onKeyDown={(e) => {
            // Keyboard: Enter or Space probes the centre pixel (or the current one); arrow keys move the
            // probe by a twentieth of the image (one pixel with Shift).
            const step = e.shiftKey ? 1 : Math.max(1, Math.round(Math.min(image.width, image.height) / 20));
            const move = ({ ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] } as Record<string, number[]>)[e.key];
            if (!move && e.key !== 'Enter' && e.key !== ' ') return;
            e.preventDefault();
            const x = (probe?.x ?? Math.floor(image.width / 2)) + (move?.[0] ?? 0);
            const y = (probe?.y ?? Math.floor(image.height / 2)) + (move?.[1] ?? 0);
            void probeAt(Math.min(image.width - 1, Math.max(0, x)), Math.min(image.height - 1, Math.max(0, y)));
          }}
        />
        {probe && (
          <span
            className="seg-marker"
            aria-hidden="true"
            style={{ left: `${((probe.x + 0.5) / image.width) * 100}%`, top: `${((probe.y + 0.5) / image.height) * 100}%` }}
          />
        )}
      </div>
      <figcaption className="help">{probe ? fmt(m.segment.probeAt, { x: probe.x, y: probe.y }) : m.segment.clickHelp}</figcaption>
    </figure>
  );
}
