/**
 * Recognises a fetch that the Content-Security-Policy blocked. The browser then rejects the fetch
 * with the same bare TypeError as a network failure, so retrying it would only waste the user's time
 * ("after 4 tries: Failed to fetch"); it also fires a `securitypolicyviolation` event at the global
 * scope (the page, or the worker whose own policy blocked it), which is what tells the two apart.
 */

interface ViolationLike {
  blockedURI?: string;
  effectiveDirective?: string;
}

const seen: string[] = [];
let installed = false;

/** Starts listening (once per global scope); a no-op where the event does not exist (Node). */
export function watchCspViolations(): void {
  const g = globalThis as unknown as { addEventListener?: (t: string, f: (e: ViolationLike) => void) => void; SecurityPolicyViolationEvent?: unknown };
  if (installed || typeof g.addEventListener !== 'function' || !g.SecurityPolicyViolationEvent) return;
  installed = true;
  g.addEventListener('securitypolicyviolation', (e) => {
    if (e.blockedURI && /^(connect-src|default-src)$/.test(e.effectiveDirective ?? '')) seen.push(e.blockedURI);
  });
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** For tests: record a violation as the browser would. */
export function recordViolation(blockedURI: string): void {
  seen.push(blockedURI);
}

/**
 * Whether the policy blocked `url` (same origin as a reported violation). The event is queued as its
 * own task and may arrive just after the fetch's rejection: wait up to `waitMs` for it.
 */
export async function blockedByPolicy(url: string, waitMs = 250): Promise<boolean> {
  const origin = originOf(url);
  const hit = () => seen.some((u) => u === url || originOf(u) === origin);
  const until = Date.now() + waitMs;
  for (;;) {
    if (hit()) return true;
    if (!installed || Date.now() >= until) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
}
