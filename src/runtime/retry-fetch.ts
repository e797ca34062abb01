/**
 * A fetch for model downloads on flaky networks, handed to transformers.js as `env.fetch`.
 *
 * - Failures worth retrying (connection refused or dropped, 5xx, 408, 429, no answer within
 *   `stallMs`) are retried with exponential backoff; other answers (200, 404, ...) pass through,
 *   so transformers.js still treats a missing optional file as optional.
 * - The body is wrapped: if the connection drops (or stalls) mid-download, the download resumes
 *   with `Range: bytes=<received>-` (or restarts and skips what was already read when the server
 *   ignores ranges). transformers.js reads one continuous body either way, and since it stores a
 *   file in its cache only after reading the whole body, a failed download leaves no cache entry.
 * - The caller's AbortSignal cancels waits, requests and body reads at once.
 * - After the last try the error says which file failed, how often, and why.
 */
import { blockedByPolicy, watchCspViolations } from './csp-violations';
import { blockedHostMessage } from './csp';

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface RetryOptions {
  /** retries after the first try (default 3: four tries in all) */
  retries?: number;
  /** first backoff delay; doubles each retry (default 500 ms) */
  baseDelayMs?: number;
  /** no response headers, or no body bytes, for this long counts as a failure (default 30 s) */
  stallMs?: number;
  signal?: AbortSignal;
  /** told before each wait, e.g. to show "retrying" in the UI */
  onRetry?: (info: { url: string; attempt: number; delayMs: number; reason: string }) => void;
}

export class DownloadError extends Error {
  constructor(
    readonly url: string,
    readonly attempts: number,
    readonly reason: string,
  ) {
    super(`could not download ${fileOf(url)} from ${hostOf(url)} after ${attempts} ${attempts === 1 ? 'try' : 'tries'}: ${reason}`);
    this.name = 'DownloadError';
  }
}

/** The site's Content-Security-Policy blocked the URL: no retry can help, the message says what can. */
export class PolicyBlockedError extends Error {
  constructor(readonly url: string) {
    super(blockedHostMessage(url));
    this.name = 'PolicyBlockedError';
  }
}

function fileOf(url: string): string {
  const m = /\/resolve\/[^/]+\/(.+)$/.exec(url);
  return decodeURIComponent(m ? m[1] : url.split('/').pop() || url);
}

function hostOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

function urlOf(input: string | URL | Request): string {
  return typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
}

const RETRY_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

class Retryable extends Error {}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('aborted', 'AbortError');
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((ok, fail) => {
    if (signal?.aborted) return fail(abortReason(signal));
    const t = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', onAbort);
      ok();
    }
    function onAbort() {
      clearTimeout(t);
      fail(abortReason(signal!));
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function describe(e: unknown): string {
  if (e instanceof Error) {
    const cause = e.cause as { code?: string; message?: string } | undefined;
    const detail = cause?.code ?? cause?.message;
    return detail && !e.message.includes(detail) ? `${e.message} (${detail})` : e.message;
  }
  return String(e);
}

/** Retry-After in seconds (capped), or null. */
function retryAfterMs(res: Response): number | null {
  const h = res.headers.get('retry-after');
  if (h === null || h.trim() === '') return null;
  const s = Number(h);
  return Number.isFinite(s) && s >= 0 ? Math.min(s, 30) * 1000 : null;
}

export function retryingFetch(base: FetchLike, opts: RetryOptions = {}): FetchLike {
  const retries = opts.retries ?? 3;
  const baseDelay = opts.baseDelayMs ?? 500;
  const stallMs = opts.stallMs ?? 30_000;
  watchCspViolations();

  return async (input, init) => {
    const url = urlOf(input);
    // Only network URLs are worth retrying (not blob:, data:, or the picked-folder pseudo host).
    if (!/^https?:/i.test(url) || /\.invalid\//.test(url)) return base(input, init);
    const signals = [opts.signal, init?.signal ?? undefined].filter((s): s is AbortSignal => !!s);
    const outer = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    let attempt = 0;

    /** One request with a deadline for the response headers. */
    async function once(extraHeaders?: Record<string, string>): Promise<Response> {
      outer?.throwIfAborted();
      const ctl = new AbortController();
      const stop = () => ctl.abort(outer ? abortReason(outer) : undefined);
      outer?.addEventListener('abort', stop, { once: true });
      const timer = setTimeout(() => ctl.abort(new Retryable(`no answer within ${stallMs / 1000} s`)), stallMs);
      const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
      for (const [k, v] of Object.entries(extraHeaders ?? {})) headers.set(k, v);
      try {
        return await base(input instanceof Request ? input.url : input, { ...init, headers, signal: ctl.signal });
      } catch (e) {
        if (outer?.aborted) throw abortReason(outer);
        if (ctl.signal.reason instanceof Retryable) throw ctl.signal.reason;
        if (await blockedByPolicy(url)) throw new PolicyBlockedError(url);
        throw new Retryable(describe(e));
      } finally {
        clearTimeout(timer);
        outer?.removeEventListener('abort', stop);
      }
    }

    /** Waits before the next try, or throws the final error when the tries are used up. */
    async function backoff(reason: string, hintMs: number | null = null): Promise<void> {
      attempt++;
      if (attempt > retries) throw new DownloadError(url, attempt, reason);
      const delayMs = hintMs ?? baseDelay * 2 ** (attempt - 1);
      opts.onRetry?.({ url, attempt, delayMs, reason });
      await sleep(delayMs, outer);
    }

    let first: Response;
    for (;;) {
      try {
        const res = await once();
        if (!RETRY_STATUS.has(res.status)) {
          first = res;
          break;
        }
        await res.body?.cancel().catch(() => undefined);
        await backoff(`the server answered ${res.status}${res.statusText ? ' ' + res.statusText : ''}`, retryAfterMs(res));
      } catch (e) {
        if (!(e instanceof Retryable)) throw e;
        await backoff(e.message);
      }
    }
    // A caller's own Range request (transformers.js probes sizes with bytes=0-0) is not resumed.
    const callerRange = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined)).has('range');
    if (first.status !== 200 || !first.body || callerRange) return first;

    const total = Number(first.headers.get('content-length')) || null;
    let reader = first.body.getReader();
    let received = 0;
    /** bytes of a restarted (non-range) body still to be skipped */
    let skip = 0;

    async function readWithDeadline(): Promise<ReadableStreamReadResult<Uint8Array>> {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stall = new Promise<never>((_, fail) => {
        timer = setTimeout(() => fail(new Retryable(`the download stalled for ${stallMs / 1000} s`)), stallMs);
      });
      try {
        return await Promise.race([reader.read(), stall]);
      } finally {
        clearTimeout(timer);
      }
    }

    async function resume(reason: string): Promise<void> {
      reader.cancel().catch(() => undefined);
      for (;;) {
        await backoff(`the connection dropped after ${received} bytes (${reason})`);
        try {
          const res = await once({ Range: `bytes=${received}-` });
          const start = /^bytes (\d+)-/.exec(res.headers.get('content-range') ?? '')?.[1];
          if (res.status === 206 && Number(start) === received && res.body) {
            skip = 0;
          } else if (res.status === 200 && res.body) {
            skip = received; // the server ignored the range: read from the start, drop what we have
          } else {
            await res.body?.cancel().catch(() => undefined);
            reason = `the server answered ${res.status} when asked to resume`;
            if (RETRY_STATUS.has(res.status) || res.status === 206 || res.status === 200) continue;
            throw new DownloadError(url, attempt + 1, reason);
          }
          reader = res.body.getReader();
          return;
        } catch (e) {
          if (!(e instanceof Retryable)) throw e;
          reason = e.message;
        }
      }
    }

    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        for (;;) {
          let r: ReadableStreamReadResult<Uint8Array>;
          try {
            outer?.throwIfAborted();
            r = await readWithDeadline();
          } catch (e) {
            if (outer?.aborted) throw abortReason(outer);
            await resume(e instanceof Retryable ? e.message : describe(e));
            continue;
          }
          if (r.done) {
            if (total !== null && received < total) {
              await resume(`ended early, ${total} expected`);
              continue;
            }
            controller.close();
            return;
          }
          let chunk = r.value;
          if (skip > 0) {
            const drop = Math.min(skip, chunk.byteLength);
            skip -= drop;
            chunk = chunk.subarray(drop);
            if (!chunk.byteLength) continue;
          }
          received += chunk.byteLength;
          controller.enqueue(chunk);
          return;
        }
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    });
    return new Response(body, { status: first.status, statusText: first.statusText, headers: first.headers });
  };
}
