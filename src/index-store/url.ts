/**
 * An index given by URL (the lab's import): a `.parquet` file, the `_manifest.json` that `cli embed`
 * writes beside its parts, or the folder that holds it. Part URLs resolve against the manifest's.
 */

export const MANIFEST_NAME = '_manifest.json';

export type IndexUrl = { kind: 'parquet'; url: string; name: string } | { kind: 'manifest'; url: string };

export function indexUrl(text: string, base?: string): IndexUrl {
  const u = new URL(text.trim(), base);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`${text}: expected an http(s) URL`);
  const path = u.pathname;
  if (/\.parquet$/i.test(path)) return { kind: 'parquet', url: u.href, name: decodeURIComponent(path.split('/').pop()!) };
  if (/\.json$/i.test(path)) return { kind: 'manifest', url: u.href };
  if (!u.pathname.endsWith('/')) u.pathname += '/';
  return { kind: 'manifest', url: new URL(MANIFEST_NAME, u).href };
}

/** The part files a manifest lists, as absolute URLs with their names (only `part-…parquet` names, no paths). */
export function manifestParts(manifestUrl: string, json: unknown): { url: string; name: string }[] {
  const parts = (json as { parts?: unknown } | null)?.parts;
  if (!Array.isArray(parts) || !parts.every((p) => typeof p === 'string')) throw new Error(`${manifestUrl}: not an index manifest (no "parts" list of file names)`);
  return (parts as string[]).map((name) => {
    if (!/^[\w.-]+\.parquet$/i.test(name)) throw new Error(`${manifestUrl}: part "${name}" is not a plain .parquet file name`);
    return { url: new URL(name, manifestUrl).href, name };
  });
}
