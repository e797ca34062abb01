/**
 * Calls to a helper (a worker) that must also fail when the helper dies. Not `Promise.race([call, dead])` with
 * one long-lived `dead` promise: each race leaves a reaction on that never-settling promise, and the reaction
 * keeps the race's result alive for as long as `dead` lives. In the CLIP worker that kept every decoded batch
 * (8 images x 0.6 MB of pixels) for the worker's life: 6.6 GB of renderer memory at 10,000 images.
 */
export interface InFlight {
  /** `call`, rejected early with the error given to `failAll` if that comes first; holds nothing once settled */
  guard<T>(call: Promise<T>): Promise<T>;
  /** rejects every call still in flight */
  failAll(error: Error): void;
}

export function inFlight(): InFlight {
  const pending = new Set<(e: Error) => void>();
  return {
    guard: <T>(call: Promise<T>) =>
      new Promise<T>((resolve, reject) => {
        pending.add(reject);
        call.then(resolve, reject).finally(() => pending.delete(reject));
      }),
    failAll(error) {
      for (const fail of pending) fail(error);
      pending.clear();
    },
  };
}
