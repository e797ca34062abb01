import { lazy, Suspense, useEffect, useMemo, useSyncExternalStore, type ComponentType, type LazyExoticComponent } from 'react';
import { panels } from './panels';
import { Home } from './Home';
import { ErrorBoundary } from './components/ErrorBoundary';
import { Icon } from './components/Icon';
import { fmt, isLang, languages, useMessages } from './i18n';
import { useSettings } from './stores/settings';

// Lazy components are created once per panel, not on every render.
const lazyPanels = new Map<string, LazyExoticComponent<ComponentType>>(panels.map((p) => [p.id, lazy(p.load)]));

function subscribeHash(cb: () => void) {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
}
const currentRoute = () => window.location.hash.replace(/^#\/?/, '').split('?')[0] || 'home';

export function App() {
  const m = useMessages();
  const { lang, theme, setLang, setTheme } = useSettings();
  const route = useSyncExternalStore(subscribeHash, currentRoute);
  const panel = panels.find((p) => p.id === route);
  const Panel = panel ? lazyPanels.get(panel.id)! : null;

  useEffect(() => {
    document.documentElement.lang = lang;
    document.documentElement.dataset.theme = theme;
  }, [lang, theme]);
  const title = panel ? `${panel.text(m).title} · ${m.app.title}` : m.app.title;
  useEffect(() => {
    document.title = title;
  }, [title]);

  const isolated = useMemo(() => globalThis.crossOriginIsolated === true, []);

  return (
    <div className="shell">
      {/* The router owns the hash: the skip link moves focus itself instead of navigating to "#main". */}
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        {m.app.skip}
      </a>
      <header className="topbar">
        <div className="brand">
          <a href="#/home" className="brand-link">
            <span className="logo"><Icon name="logo" size={20} /></span> {m.app.title}
          </a>
          <p className="tagline">{m.app.tagline}</p>
        </div>
        <div className="toolbar">
          <span className={`badge ${isolated ? 'ok' : 'warn'}`} data-testid="isolation" title={isolated ? m.app.isolated : m.app.notIsolated}>
            {isolated && <Icon name="bolt" size={12} />}
            {isolated ? m.app.isolated : m.app.notIsolated}
          </span>
          <label className="inline">
            <span>{m.app.language}</span>
            <select value={lang} onChange={(e) => isLang(e.target.value) && setLang(e.target.value)} data-testid="lang">
              {Object.entries(languages).map(([id, l]) => (
                <option key={id} value={id}>
                  {l.meta.name}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            className="ghost"
            data-testid="theme"
            aria-pressed={theme === 'dark'}
            onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
          >
            <Icon name={theme === 'dark' ? 'moon' : 'sun'} />
            {m.app.theme}: {theme === 'dark' ? m.app.themeDark : m.app.themeLight}
          </button>
        </div>
      </header>
      <nav className="tabs" aria-label={m.app.nav}>
        <a href="#/home" aria-current={!panel ? 'page' : undefined} data-testid="tab-home">
          <Icon name="home" />
          {m.home.title}
        </a>
        {panels.map((p) => (
          <a key={p.id} href={`#/${p.id}`} aria-current={panel?.id === p.id ? 'page' : undefined} data-testid={`tab-${p.id}`}>
            <Icon name={p.icon} />
            {p.text(m).title}
          </a>
        ))}
      </nav>
      <main id="main" tabIndex={-1} data-panel={panel?.id ?? 'home'}>
        {Panel ? (
          <ErrorBoundary key={panel!.id} fallback={(msg) => <p role="alert" className="error">{fmt(m.app.panelError, { message: msg })}</p>}>
            <Suspense fallback={<p className="muted">{m.app.loadingPanel}</p>}>
              <Panel />
            </Suspense>
          </ErrorBoundary>
        ) : (
          <Home />
        )}
      </main>
    </div>
  );
}
