/** Waits until a zustand store's state passes `done` (resolves at once when it already does). */
export function waitFor<S>(store: { getState(): S; subscribe(l: (s: S) => void): () => void }, done: (s: S) => boolean): Promise<S> {
  return new Promise((resolve) => {
    if (done(store.getState())) return resolve(store.getState());
    const off = store.subscribe((s) => {
      if (done(s)) {
        off();
        resolve(s);
      }
    });
  });
}

/** A file of the site (public/), as a File named like the original. */
export async function siteFile(path: string, type = 'image/png'): Promise<File> {
  const url = new URL(path, document.baseURI);
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
  return new File([await r.blob()], path.split('/').pop()!, { type });
}
