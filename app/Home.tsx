import { panels } from './panels';
import { fmt, useMessages } from './i18n';

/** The home page: one card per panel with its paper's headline. */
export function Home() {
  const m = useMessages();
  return (
    <section aria-labelledby="home-title">
      <h2 id="home-title">{m.home.title}</h2>
      <p className="lead">{m.home.intro}</p>
      <ul className="cards">
        {panels.map((p) => {
          const t = p.text(m);
          return (
            <li key={p.id} className="card">
              <h3>
                <span aria-hidden="true">{p.icon} </span>
                {t.title}
              </h3>
              <p>{t.intro}</p>
              <p className="headline">{t.headline}</p>
              <a className="button" href={`#/${p.id}`}>
                {fmt(m.home.open, { panel: t.title })}
              </a>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
