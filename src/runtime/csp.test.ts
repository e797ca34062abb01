/** The policy string and the connect-src matcher the UI uses to explain blocked model hosts. */
import { describe, expect, it } from 'vitest';
import { allowedByConnectSrc, blockedHostMessage, buildCsp, directiveSources, parseConnectSrc } from './csp';

const SELF = 'https://lab.example.org';

describe('Content-Security-Policy', () => {
  it('has the script-src and connect-src the lab needs, plus deployer hosts', () => {
    const csp = buildCsp(parseConnectSrc('https://models.example.org, http://127.0.0.1:*'));
    expect(directiveSources(csp, 'script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(directiveSources(csp, 'connect-src')).toEqual([
      "'self'",
      'blob:',
      'data:',
      'https://huggingface.co',
      'https://*.huggingface.co',
      'https://*.hf.co',
      'https://cas-bridge.xethub.hf.co',
      'https://models.example.org',
      'http://127.0.0.1:*',
    ]);
    expect(directiveSources(csp, 'img-src')).toEqual(["'self'", 'blob:', 'data:']);
    expect(csp).not.toMatch(/\s'unsafe-eval'|script-src[^;]*unsafe-inline/);
  });

  it('refuses anything in LAB_CONNECT_SRC that is not a host source', () => {
    expect(() => parseConnectSrc("'unsafe-inline'")).toThrow(/not a host source/);
    expect(() => parseConnectSrc('https://a.org; script-src *')).toThrow(/not a host source/);
    expect(parseConnectSrc(undefined)).toEqual([]);
  });

  it('matches hosts as browsers do', () => {
    const src = directiveSources(buildCsp(parseConnectSrc('http://127.0.0.1:*')), 'connect-src')!;
    const ok = (u: string) => allowedByConnectSrc(u, src, SELF);
    expect(ok('https://lab.example.org/ort/x.wasm')).toBe(true);
    expect(ok('https://huggingface.co/Xenova/clip/resolve/main/config.json')).toBe(true);
    expect(ok('https://cdn-lfs-us-1.hf.co/repos/ab/cd')).toBe(true);
    expect(ok('https://cas-bridge.xethub.hf.co/xet-bridge-us/abc')).toBe(true);
    expect(ok('https://cdn-lfs.huggingface.co/x')).toBe(true);
    expect(ok('http://127.0.0.1:8765/fixtures/m/resolve/main/config.json')).toBe(true);
    expect(ok('http://huggingface.co/x')).toBe(false); // scheme must match
    expect(ok('https://hf.co.evil.org/x')).toBe(false);
    expect(ok('https://evilhf.co/x')).toBe(false);
    expect(ok('https://models.example.org/x')).toBe(false);
    expect(ok('http://localhost:8765/x')).toBe(false);
    expect(ok('https://lab.example.org:444/x')).toBe(false);
    expect(ok('not a url')).toBe(false);
  });

  it('says what is blocked and how a deployer allows it', () => {
    expect(blockedHostMessage('https://models.example.org:8443/org/m')).toBe(
      "https://models.example.org:8443 is blocked by this site's Content-Security-Policy (connect-src), so the lab cannot download from it. " +
        'Whoever deploys the lab can allow it by building with LAB_CONNECT_SRC="https://models.example.org:8443" npm run build ' +
        '(see README, Deploying); or use a model folder from this computer instead.',
    );
  });
});
