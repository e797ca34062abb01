/**
 * The download wrapper against a real local HTTP server that misbehaves on purpose:
 * 5xx, no answer, connections dropped mid-body (with and without Range support), 404, abort.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DownloadError, PolicyBlockedError, retryingFetch } from './retry-fetch';
import { recordViolation } from './csp-violations';

const BODY = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 31 + 7) & 255));

type Plan = (req: IncomingMessage, res: ServerResponse, n: number) => void;
let plan: Plan = () => undefined;
let log: { url: string; range?: string; at: number }[] = [];
let server: Server;
let base = '';

function sendRange(req: IncomingMessage, res: ServerResponse, dropAfter?: number): void {
  const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  const start = m ? Number(m[1]) : 0;
  const body = BODY.subarray(start);
  res.writeHead(m ? 206 : 200, {
    'content-length': String(body.length),
    ...(m ? { 'content-range': `bytes ${start}-${BODY.length - 1}/${BODY.length}` } : {}),
  });
  if (dropAfter === undefined) return void res.end(body);
  res.write(body.subarray(0, dropAfter), () => setTimeout(() => res.socket?.destroy(), 20));
}

beforeAll(async () => {
  server = createServer((req, res) => {
    log.push({ url: req.url ?? '', range: req.headers.range, at: Date.now() });
    plan(req, res, log.length);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/org/m/resolve/main/`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((ok) => server.close(() => ok()));
});
beforeEach(() => {
  log = [];
});

const fast = { baseDelayMs: 40, stallMs: 400 };
const bytes = async (res: Response) => Buffer.from(await res.arrayBuffer());

describe('retryingFetch', () => {
  it('retries 500 with exponential backoff, then succeeds', async () => {
    plan = (req, res, n) => (n <= 2 ? res.writeHead(500).end('boom') : sendRange(req, res));
    const retries: number[] = [];
    const f = retryingFetch(fetch, { ...fast, onRetry: (i) => retries.push(i.delayMs) });
    const res = await f(base + 'onnx/model.onnx');
    expect(res.status).toBe(200);
    expect((await bytes(res)).equals(BODY)).toBe(true);
    expect(log).toHaveLength(3);
    expect(retries).toEqual([40, 80]);
    // the waits really happened: the third request came at least 40 + 80 ms after the first
    expect(log[2].at - log[0].at).toBeGreaterThanOrEqual(110);
  });

  it('gives up after 3 retries with a message naming the file, the host and the reason', async () => {
    plan = (_req, res) => res.writeHead(503, 'Service Unavailable').end();
    const f = retryingFetch(fetch, fast);
    const err = await f(base + 'onnx/vision_model.onnx').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect(log).toHaveLength(4);
    expect((err as Error).message).toBe(
      `could not download onnx/vision_model.onnx from ${new URL(base).origin} after 4 tries: the server answered 503 Service Unavailable`,
    );
  });

  it('does not retry a fetch the Content-Security-Policy blocked, and says so naming LAB_CONNECT_SRC', async () => {
    // As the browser does: a bare TypeError, plus a securitypolicyviolation event for the URL.
    const url = 'http://blocked.example:8080/org/m/resolve/main/config.json';
    recordViolation(url);
    let calls = 0;
    const f = retryingFetch(async () => {
      calls++;
      throw new TypeError('Failed to fetch');
    }, fast);
    const err = await f(url).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PolicyBlockedError);
    expect(calls).toBe(1);
    expect((err as Error).message).toContain('LAB_CONNECT_SRC="http://blocked.example:8080"');
  });

  it('passes 404 through without retrying (optional files stay optional)', async () => {
    plan = (_req, res) => res.writeHead(404).end();
    const res = await retryingFetch(fetch, fast)(base + 'tokenizer_config.json');
    expect(res.status).toBe(404);
    expect(log).toHaveLength(1);
  });

  it('times out a request that never answers and retries it', async () => {
    plan = (req, res, n) => (n === 1 ? undefined : sendRange(req, res)); // first: silence
    const reasons: string[] = [];
    const res = await retryingFetch(fetch, { ...fast, onRetry: (i) => reasons.push(i.reason) })(base + 'a.bin');
    expect((await bytes(res)).equals(BODY)).toBe(true);
    expect(reasons).toEqual(['no answer within 0.4 s']);
  });

  it('resumes a dropped download with a Range request', async () => {
    plan = (req, res, n) => sendRange(req, res, n === 1 ? 70_000 : undefined);
    const res = await retryingFetch(fetch, fast)(base + 'onnx/model.onnx');
    expect(res.headers.get('content-length')).toBe(String(BODY.length));
    expect((await bytes(res)).equals(BODY)).toBe(true);
    expect(log.map((l) => l.range)).toEqual([undefined, 'bytes=70000-']);
  });

  it('restarts cleanly when the server ignores Range, dropping the bytes it already had', async () => {
    plan = (req, res, n) => {
      delete req.headers.range;
      sendRange(req, res, n <= 2 ? 50_000 * n : undefined);
    };
    const res = await retryingFetch(fetch, fast)(base + 'onnx/model.onnx');
    expect((await bytes(res)).equals(BODY)).toBe(true);
    expect(log).toHaveLength(3);
  });

  it('resumes a download that stalls mid-body', async () => {
    plan = (req, res, n) => {
      if (n > 1) return sendRange(req, res);
      res.writeHead(200, { 'content-length': String(BODY.length) });
      res.write(BODY.subarray(0, 1000)); // then silence
    };
    const res = await retryingFetch(fetch, fast)(base + 'x.bin');
    expect((await bytes(res)).equals(BODY)).toBe(true);
    expect(log.map((l) => l.range)).toEqual([undefined, 'bytes=1000-']);
  });

  it('errors the body (never a short file) when every resume fails', async () => {
    plan = (req, res, n) => (n === 1 ? sendRange(req, res, 10_000) : res.writeHead(500).end());
    const res = await retryingFetch(fetch, fast)(base + 'onnx/text_model.onnx');
    const err = await res.arrayBuffer().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadError);
    expect((err as Error).message).toMatch(/onnx\/text_model\.onnx .* after 4 tries: the connection dropped after 10000 bytes \(the server answered 500 when asked to resume\)$/);
    expect(log).toHaveLength(4);
  });

  it('stops waiting at once when aborted during a backoff', async () => {
    plan = (_req, res) => res.writeHead(500).end();
    const ctl = new AbortController();
    const f = retryingFetch(fetch, { baseDelayMs: 10_000, stallMs: 5000, signal: ctl.signal });
    const t0 = Date.now();
    setTimeout(() => ctl.abort(new Error('cancelled')), 100);
    await expect(f(base + 'a.bin')).rejects.toThrow('cancelled');
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(log).toHaveLength(1);
  });

  it("does not resume a caller's own Range request (size probes)", async () => {
    plan = (_req, res) => {
      res.writeHead(206, { 'content-length': '1', 'content-range': `bytes 0-0/${BODY.length}` });
      res.end(BODY.subarray(0, 1));
    };
    const res = await retryingFetch(fetch, fast)(base + 'a.bin', { headers: { Range: 'bytes=0-0' } });
    expect(res.status).toBe(206);
    expect((await bytes(res)).length).toBe(1);
    expect(log.map((l) => l.range)).toEqual(['bytes=0-0']);
  });

  it('leaves non-network URLs alone', async () => {
    const seen: string[] = [];
    const f = retryingFetch(async (u) => (seen.push(String(u)), new Response('x', { status: 500 })), fast);
    expect((await f('https://model-files.invalid/local/m/resolve/main/config.json')).status).toBe(500);
    expect(seen).toHaveLength(1);
  });
});
