/**
 * Registers public/sw.js (production builds only: the dev server sets COOP/COEP itself).
 * coi-serviceworker pattern: a host that cannot send COOP/COEP headers gets them from the
 * service worker, which only applies after a reload, so reload once when not isolated yet.
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const key = 'lab-coi-reloaded';
  navigator.serviceWorker
    .register(new URL('sw.js', document.baseURI), { scope: './' })
    .then(async (reg) => {
      await navigator.serviceWorker.ready;
      if (globalThis.crossOriginIsolated) {
        sessionStorage.removeItem(key);
        return;
      }
      // Reload once (guarded: if the host strips headers even through the worker, do not loop).
      if (!sessionStorage.getItem(key) && (navigator.serviceWorker.controller || reg.active)) {
        sessionStorage.setItem(key, '1');
        location.reload();
      }
    })
    .catch((e) => console.warn('service worker not registered:', e));
}
