/**
 * The site's Content-Security-Policy: built once at build time (vite.config.ts puts it in a
 * <meta> of index.html, on the preview server's responses, and in precache.json for the service
 * worker, which adds it to the responses of the worker scripts), and read back in the page to
 * tell a user why a model URL cannot be reached.
 *
 * connect-src: the site itself, the Hugging Face Hub and the hosts its downloads redirect to
 * (huggingface.co answers small files itself and redirects large ones to cdn-lfs*.huggingface.co,
 * cdn-lfs*.hf.co or, for Xet-backed repositories, cas-bridge.xethub.hf.co), and whatever the
 * deployer lists in LAB_CONNECT_SRC when building.
 */
export const CONNECT_SRC_ENV = 'LAB_CONNECT_SRC';

export const DEFAULT_MODEL_HOSTS = [
  'https://huggingface.co',
  'https://*.huggingface.co',
  'https://*.hf.co',
  'https://cas-bridge.xethub.hf.co',
];

/** "https://a.org https://b.org" or comma separated → source expressions; rejects anything that is not a host. */
export function parseConnectSrc(value: string | undefined): string[] {
  const out: string[] = [];
  for (const raw of (value ?? '').split(/[\s,]+/).filter(Boolean)) {
    if (!/^(https?|wss?):\/\/(\*\.)?[\w.-]+(:(\d+|\*))?\/?$/i.test(raw)) {
      throw new Error(`${CONNECT_SRC_ENV}: "${raw}" is not a host source like https://models.example.org or http://127.0.0.1:*`);
    }
    out.push(raw.replace(/\/$/, ''));
  }
  return out;
}

export function buildCsp(extraConnect: readonly string[] = []): string {
  const directives: [string, string[]][] = [
    ['default-src', ["'self'"]],
    // 'wasm-unsafe-eval': ONNX Runtime and TF.js compile WebAssembly; no other eval.
    ['script-src', ["'self'", "'wasm-unsafe-eval'"]],
    ['worker-src', ["'self'", 'blob:']],
    // blob:/data: are the page's own data (files the user dropped), not the network
    ['connect-src', ["'self'", 'blob:', 'data:', ...DEFAULT_MODEL_HOSTS, ...extraConnect]],
    // thumbnails and exports are blob: URLs; small icons may be data: URLs
    ['img-src', ["'self'", 'blob:', 'data:']],
    ['media-src', ["'self'", 'blob:']],
    // React writes element.style (allowed), but a few libraries inject <style>.
    ['style-src', ["'self'", "'unsafe-inline'"]],
    ['font-src', ["'self'"]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'self'"]],
    ['form-action', ["'self'"]],
  ];
  return directives.map(([k, v]) => `${k} ${v.join(' ')}`).join('; ');
}

/** The sources of one directive of a policy string (empty when absent). */
export function directiveSources(policy: string, name: string): string[] | null {
  for (const part of policy.split(';')) {
    const [k, ...v] = part.trim().split(/\s+/);
    if (k?.toLowerCase() === name) return v;
  }
  return null;
}

function defaultPort(scheme: string): string {
  return scheme === 'https' || scheme === 'wss' ? '443' : '80';
}

/** CSP host-source matching (CSP3 §6.7.2.8), enough for the expressions above. */
function matchesSource(url: URL, source: string, selfOrigin: string): boolean {
  if (source === "'self'") return url.origin === selfOrigin;
  if (source === '*') return /^(https?|wss?):$/.test(url.protocol);
  if (/^[a-z][\w+.-]*:$/i.test(source)) return url.protocol === source.toLowerCase();
  const m = /^(?:([a-z][\w+.-]*):\/\/)?(\*\.)?([^:/]+)(?::(\d+|\*))?(\/.*)?$/i.exec(source);
  if (!m) return false;
  const [, scheme, wild, host, port] = m;
  const proto = url.protocol.replace(/:$/, '');
  if (scheme) {
    const s = scheme.toLowerCase();
    // http: allows https:, ws: allows wss: (secure upgrades)
    if (!(proto === s || (s === 'http' && proto === 'https') || (s === 'ws' && proto === 'wss'))) return false;
  }
  const h = url.hostname.toLowerCase();
  const want = host.toLowerCase();
  if (wild ? !h.endsWith('.' + want) : h !== want) return false;
  const urlPort = url.port || defaultPort(proto);
  if (port === '*') return true;
  return (port ?? defaultPort(scheme?.toLowerCase() ?? proto)) === urlPort || (!port && scheme === 'http' && proto === 'https' && urlPort === '443');
}

export function allowedByConnectSrc(url: string, sources: readonly string[], selfOrigin: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return sources.some((s) => matchesSource(u, s, selfOrigin));
}

/** The message for a model host the policy blocks, with what a deployer does about it. */
export function blockedHostMessage(url: string): string {
  let origin = url;
  try {
    origin = new URL(url).origin;
  } catch {
    /* keep as typed */
  }
  return (
    `${origin} is blocked by this site's Content-Security-Policy (connect-src), so the lab cannot download from it. ` +
    `Whoever deploys the lab can allow it by building with ${CONNECT_SRC_ENV}="${origin}" npm run build ` +
    `(see README, Deploying); or use a model folder from this computer instead.`
  );
}
