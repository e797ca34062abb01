/* The lab's one service worker. Two jobs:
 * 1. Cross-origin isolation for static hosts that cannot set headers (the coi-serviceworker
 *    pattern): every same-origin response gets COOP/COEP, so SharedArrayBuffer and
 *    multithreaded WASM work; the page reloads once after the worker takes control.
 * 2. Offline: the app shell listed in precache.json (written by the build) is cached on install;
 *    navigations are network-first with a cached fallback, other same-origin files cache-first; large
 *    build files left out of precache.json (parquet-wasm) are cached the first time they are used.
 * Model files are cached by transformers.js itself (Cache API "transformers-cache"), not here.
 * 3. The build's Content-Security-Policy (from precache.json) on every same-origin response: the
 *    page has it as a <meta>, but workers only get a policy from their own response headers.
 */
const SHELL = 'lab-shell-';

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      try {
        const res = await fetch('./precache.json', { cache: 'no-store' });
        if (res.ok) {
          const { version, files, csp } = await res.json();
          const cache = await caches.open(SHELL + version);
          // One by one so a single missing file does not abort the whole install.
          for (const f of files) {
            try {
              await cache.add(new Request(f, { cache: 'reload' }));
            } catch (e) {
              console.warn('sw: could not precache', f, e);
            }
          }
          await cache.put('./__version', new Response(version));
          if (csp) await cache.put('./__csp', new Response(csp));
        }
      } catch {
        // Dev server: no precache.json, nothing to do.
      }
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      const shells = names.filter((n) => n.startsWith(SHELL)).sort();
      // Keep only the newest shell cache.
      for (const n of shells.slice(0, -1)) await caches.delete(n);
      await self.clients.claim();
    })(),
  );
});

let csp = null;
async function loadCsp() {
  if (csp === null) {
    const cache = await shellCache();
    const hit = cache && (await cache.match('./__csp'));
    csp = hit ? await hit.text() : '';
  }
  return csp;
}

async function isolate(res) {
  if (res.status === 0) return res; // opaque: headers cannot be set
  const headers = new Headers(res.headers);
  const policy = await loadCsp();
  if (policy && !headers.has('Content-Security-Policy')) headers.set('Content-Security-Policy', policy);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  headers.set('Cross-Origin-Resource-Policy', 'same-origin');
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
}

async function shellCache() {
  const names = (await caches.keys()).filter((n) => n.startsWith(SHELL)).sort();
  return names.length ? caches.open(names[names.length - 1]) : null;
}

async function fromCache(req) {
  const cache = await shellCache();
  if (!cache) return undefined;
  // ignoreVary: dev servers send "Vary: Origin", and module scripts carry an Origin the precache request lacked.
  return (await cache.match(req, { ignoreSearch: req.mode === 'navigate', ignoreVary: true })) ?? undefined;
}

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  // Cross-origin (model hosts) and non-GET requests go to the network untouched.
  if (req.method !== 'GET' || url.origin !== self.location.origin) return;
  if (req.cache === 'only-if-cached' && req.mode !== 'same-origin') return;

  event.respondWith(
    (async () => {
      if (req.mode === 'navigate') {
        try {
          return isolate(await fetch(req));
        } catch {
          const cached = (await fromCache(req)) ?? (await fromCache(new Request('./')));
          if (cached) return isolate(cached);
          return new Response('Offline and this page is not cached yet.', { status: 503 });
        }
      }
      const cached = await fromCache(req);
      if (cached) return isolate(cached);
      const res = await fetch(req);
      // Hashed build files left out of the precache (large, rarely used: parquet-wasm) are cached on first
      // use; they never change under the same name. ORT's wasm is cached by transformers.js already.
      if (res.ok && /\/assets\/[^/]+$/.test(url.pathname) && !/ort-wasm/.test(url.pathname)) {
        const cache = await shellCache();
        if (cache) await cache.put(req, res.clone()).catch(() => {});
      }
      return isolate(res);
    })(),
  );
});
