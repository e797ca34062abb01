// Messages between the bench page and its workers: one request, one reply, matched by id.
export interface Request { id: number; cmd: string; args: Record<string, unknown> }
export type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

/** Calls `cmd` in a worker and resolves with its reply. */
export function call<T>(worker: Worker, cmd: string, args: Record<string, unknown>, transfer: Transferable[] = []): Promise<T> {
  const id = Math.floor(Math.random() * 2 ** 31);
  return new Promise((resolve, reject) => {
    const onMessage = (e: MessageEvent<Reply>) => {
      if (e.data?.id !== id) return;
      worker.removeEventListener('message', onMessage);
      if (e.data.ok) resolve(e.data.result as T);
      else reject(new Error(e.data.error));
    };
    worker.addEventListener('message', onMessage);
    worker.addEventListener('error', (e) => reject(new Error(`worker error: ${e.message}`)), { once: true });
    worker.postMessage({ id, cmd, args } satisfies Request, transfer);
  });
}

/** Serves commands inside a worker. */
export function serve(handlers: Record<string, (args: any) => Promise<unknown>>): void {
  self.addEventListener('message', async (e: MessageEvent<Request>) => {
    const { id, cmd, args } = e.data;
    try {
      const h = handlers[cmd];
      if (!h) throw new Error(`unknown command: ${cmd}`);
      const result = await h(args);
      // A handler may list buffers to move instead of copy (large pixel arrays).
      const g = self as unknown as { __transfer?: Transferable[] };
      const transfer = g.__transfer ?? [];
      g.__transfer = undefined;
      (self as unknown as Worker).postMessage({ id, ok: true, result } satisfies Reply, transfer);
    } catch (err) {
      const error = err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err);
      (self as unknown as Worker).postMessage({ id, ok: false, error } satisfies Reply);
    }
  });
}
