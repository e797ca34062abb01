import { useState } from 'react';
import { panels } from './panels';
import { fmt, useMessages, type Messages } from './i18n';
import { Icon, type IconName } from './components/Icon';
import { useHardness } from './stores/hardness';

/** Demos load their code (and stores) on click, so the home page stays light. */
const demos = {
  clip: () => import('./demos/clip-demos').then((d) => d.runClipDemo()),
  segment: () => import('./demos/clip-demos').then((d) => d.runSegmentDemo()),
  bnonly: () => import('./demos/bnonly-demo').then((d) => d.runBnonlyDemo()),
  hardness: async () => {
    location.hash = '#/hardness';
    await useHardness.getState().startDemo();
  },
} as const;
type DemoId = keyof typeof demos;

interface Result {
  id: string;
  icon: IconName;
  title: (m: Messages) => string;
  text: (m: Messages) => string;
  numbers: (m: Messages) => string;
  demos: { id: DemoId; label: (m: Messages) => string; note: (m: Messages) => string }[];
}

/** The newsletter's three results, each with its headline numbers and one-click demos on bundled data. */
const results: Result[] = [
  {
    id: 'clip',
    icon: 'clip',
    title: (m) => m.home.clipTitle,
    text: (m) => m.clip.intro,
    numbers: (m) => m.home.clipNumbers,
    demos: [
      { id: 'clip', label: (m) => m.home.clipDemo, note: (m) => m.home.clipDemoNote },
      { id: 'segment', label: (m) => m.home.segDemo, note: (m) => m.home.segDemoNote },
    ],
  },
  {
    id: 'bnonly',
    icon: 'bnonly',
    title: (m) => m.home.bnTitle,
    text: (m) => m.bnonly.intro,
    numbers: (m) => m.home.bnNumbers,
    demos: [{ id: 'bnonly', label: (m) => m.home.bnDemo, note: (m) => m.home.bnDemoNote }],
  },
  {
    id: 'hardness',
    icon: 'hardness',
    title: (m) => m.home.hardTitle,
    text: (m) => m.hardness.intro,
    numbers: (m) => m.home.hardNumbers,
    demos: [{ id: 'hardness', label: (m) => m.home.hardDemo, note: (m) => m.home.hardDemoNote }],
  },
];

export function Home() {
  const m = useMessages();
  const [busy, setBusy] = useState<DemoId | null>(null);
  const [error, setError] = useState<string | null>(null);
  const start = (id: DemoId) => {
    setBusy(id);
    setError(null);
    demos[id]()
      .catch((e: unknown) => setError(fmt(m.home.demoFailed, { message: e instanceof Error ? e.message : String(e) })))
      .finally(() => setBusy(null));
  };
  return (
    <section aria-labelledby="home-title" className="home">
      <h2 id="home-title">{m.home.title}</h2>
      <p className="lead">{m.home.intro}</p>
      {error && (
        <p className="error" role="alert" data-testid="demo-error">
          {error}
        </p>
      )}
      <h3 className="home-heading">{m.home.resultsHeading}</h3>
      <ul className="results">
        {results.map((r) => (
          <li key={r.id} className="card result" data-testid={`result-${r.id}`}>
            <h4>
              <Icon name={r.icon} />
              {r.title(m)}
            </h4>
            <p>{r.text(m)}</p>
            <p className="headline">{r.numbers(m)}</p>
            <div className="demo-list">
              {r.demos.map((d) => (
                <div key={d.id} className="demo">
                  <button type="button" onClick={() => start(d.id)} disabled={busy === d.id} data-testid={`demo-${d.id}`}>
                    {busy === d.id ? m.home.demoRunning : d.label(m)}
                  </button>
                  <p className="muted small">{d.note(m)}</p>
                </div>
              ))}
            </div>
          </li>
        ))}
      </ul>
      <h3 className="home-heading">{m.home.panelsHeading}</h3>
      <ul className="cards">
        {panels.map((p) => {
          const t = p.text(m);
          return (
            <li key={p.id} className="card">
              <h4>
                <Icon name={p.icon} />
                {t.title}
              </h4>
              <p>{t.intro}</p>
              <p className="headline">{t.headline}</p>
              <a className="button" href={`#/${p.id}`}>
                {fmt(m.home.open, { panel: t.title })}
              </a>
            </li>
          );
        })}
      </ul>
      <p className="muted small">{m.home.credits}</p>
    </section>
  );
}
