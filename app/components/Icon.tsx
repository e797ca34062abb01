/**
 * Small inline SVG icons (stroke = currentColor). Glyphs and emoji depend on the fonts installed,
 * and render as empty boxes where none has them (headless Chromium); SVG does not.
 */
const paths = {
  // an eye: looking at images
  clip: 'M1.5 8s2.5-4.5 6.5-4.5S14.5 8 14.5 8 12 12.5 8 12.5 1.5 8 1.5 8Z M8 5.8a2.2 2.2 0 1 0 0 4.4 2.2 2.2 0 0 0 0-4.4Z',
  // a magnifier
  explore: 'M6.8 2.5a4.3 4.3 0 1 0 0 8.6 4.3 4.3 0 0 0 0-8.6Z M10 10l4 4',
  // a dashed outline around a shape: a mask
  segment: 'M3 3h2 M7 3h2 M11 3h2v2 M13 7v2 M13 11v2h-2 M9 13H7 M5 13H3v-2 M3 9V7 M3 5V3 M6 10.5c0-2 1-4 2.5-4.5 1.4.6 2 2.4 1.5 4.5Z',
  // a stack of layers with one highlighted
  bnonly: 'M2 4.5 8 2l6 2.5L8 7Z M2 8l6 2.5L14 8 M2 11.5 8 14l6-2.5',
  // an angle with its arc
  hardness: 'M2 13.5h12 M2 13.5 11 3 M7 13.5a5 5 0 0 0-1.6-3.7',
  // a table with a tick: a measured result
  evaluate: 'M2.5 2.5h11v11h-11Z M2.5 6h11 M6 2.5v11 M8 10l1.5 1.5L12.5 8',
  home: 'M2 7.5 8 2.5l6 5 M3.8 6.2V13.5h8.4V6.2',
  // a bolt: multithreaded
  bolt: 'M9 1.5 3.5 9H8l-1 5.5L12.5 7H8Z',
  sun: 'M8 5a3 3 0 1 0 0 6 3 3 0 0 0 0-6Z M8 1v1.8 M8 13.2V15 M1 8h1.8 M13.2 8H15 M3 3l1.3 1.3 M11.7 11.7 13 13 M3 13l1.3-1.3 M11.7 4.3 13 3',
  moon: 'M13.5 10A6 6 0 0 1 6 2.5a6 6 0 1 0 7.5 7.5Z',
  logo: 'M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13Z M8 1.5v13',
} as const;

export type IconName = keyof typeof paths;

export function Icon({ name, size = 16 }: { name: IconName; size?: number }) {
  return (
    <svg className="icon" width={size} height={size} viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth={1.5} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      <path d={paths[name]} />
      {name === 'logo' && <path d="M8 1.5a6.5 6.5 0 0 0 0 13Z" fill="currentColor" />}
    </svg>
  );
}
