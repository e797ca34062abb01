/**
 * Reads the built site's Content-Security-Policy (<meta> in index.html) and tells whether a model
 * host typed by the user is allowed by its connect-src. The dev server has no policy: no check.
 */
import { allowedByConnectSrc, blockedHostMessage, directiveSources } from '../src/runtime/csp';

/** null when the URL may be fetched, else the message to show. */
export function blockedByCsp(typed: string): string | null {
  let url: string;
  try {
    url = new URL(typed, document.baseURI).href; // relative URLs are the site's own
  } catch {
    return null; // not a URL at all: the fetch reports that itself
  }
  const meta = document.querySelector<HTMLMetaElement>('meta[http-equiv="Content-Security-Policy" i]');
  const sources = meta ? (directiveSources(meta.content, 'connect-src') ?? directiveSources(meta.content, 'default-src')) : null;
  if (!sources) return null;
  return allowedByConnectSrc(url, sources, location.origin) ? null : blockedHostMessage(url);
}
