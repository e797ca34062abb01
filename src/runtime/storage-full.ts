/**
 * Browser storage running out (IndexedDB embeddings, the Cache API model files). Neither is fatal:
 * the run goes on without saving, but the user is told (the CLIP panel shows a notice).
 */

/** A storage write refused for lack of space (QuotaExceededError, or Chrome's wrapped IDB abort). */
export function isQuotaError(e: unknown): boolean {
  if (!e || typeof e !== 'object') return false;
  const { name, message, inner } = e as { name?: unknown; message?: unknown; inner?: unknown };
  if (name === 'QuotaExceededError') return true;
  if (typeof message === 'string' && /quota/i.test(message)) return true;
  // idb rejects with the transaction's error, which may wrap the request's
  return inner !== undefined && isQuotaError(inner);
}

let full = false;

/** True once any watched write hit the quota in this context (worker). */
export function storageFull(): boolean {
  return full;
}

export function markStorageFull(): void {
  full = true;
}

/**
 * transformers.js only logs a failed `cache.put` and carries on: wrap Cache.prototype.put so a quota
 * refusal is remembered (and still rejected, as before).
 */
export function watchCacheQuota(): void {
  if (typeof Cache === 'undefined') return;
  const proto = Cache.prototype as Cache & { __quotaWatched?: boolean };
  if (proto.__quotaWatched) return;
  proto.__quotaWatched = true;
  const put = proto.put;
  proto.put = function (this: Cache, ...args: Parameters<Cache['put']>) {
    return put.apply(this, args).catch((e: unknown) => {
      if (isQuotaError(e)) full = true;
      throw e;
    });
  };
}

/** Test hook (`?simulateQuota=1`): every IndexedDB put and Cache API put in this context fails as a full disk would. */
export function simulateQuota(): void {
  const quota = () => new DOMException('simulated: the quota has been exceeded', 'QuotaExceededError');
  if (typeof IDBObjectStore !== 'undefined') {
    IDBObjectStore.prototype.put = function () {
      throw quota();
    };
  }
  if (typeof Cache !== 'undefined') {
    Cache.prototype.put = function () {
      full = true;
      return Promise.reject(quota());
    };
  }
}
