/** Whether a Hub load failed because the Hub could not be reached at all (offline, DNS, firewall), not because it answered. */
export function isHubUnreachable(kind: string, error: string | null): boolean {
  if (kind !== 'hub' || !error) return false;
  return /could not download \S+ from https:\/\/huggingface\.co after \d+ tr(?:y|ies): (?!the server answered)/.test(error);
}
