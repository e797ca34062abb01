/**
 * A live session's results, one row per processed frame, exported as JSONL (one JSON object a line)
 * or CSV (one line per frame and rank). Times are ms since recording started.
 */
export interface TopEntry {
  label: string;
  prob: number;
  logit: number;
}

export interface FrameRow {
  t: number;
  frame: number;
  latencyMs: number;
  top: TopEntry[];
}

/** The k best classes by probability (ties keep class order). */
export function topK(labels: readonly string[], probs: readonly number[], logits: readonly number[], k = 5): TopEntry[] {
  if (labels.length !== probs.length || labels.length !== logits.length) {
    throw new Error(`topK: ${labels.length} labels but ${probs.length} probabilities and ${logits.length} logits`);
  }
  return labels
    .map((label, i) => ({ label, prob: probs[i], logit: logits[i], i }))
    .sort((a, b) => b.prob - a.prob || a.i - b.i)
    .slice(0, k)
    .map(({ label, prob, logit }) => ({ label, prob, logit }));
}

export class SessionRecorder {
  readonly rows: FrameRow[] = [];
  private t0: number;

  constructor(now: number, private readonly maxRows = 100_000) {
    this.t0 = now;
  }

  /** false once the cap is reached (a forgotten recording must not eat the tab's memory) */
  add(now: number, frame: number, latencyMs: number, top: TopEntry[]): boolean {
    if (this.rows.length >= this.maxRows) return false;
    this.rows.push({ t: Math.round(now - this.t0), frame, latencyMs: Math.round(latencyMs * 10) / 10, top });
    return true;
  }

  toJsonl(): string {
    return this.rows.map((r) => JSON.stringify(r)).join('\n') + (this.rows.length ? '\n' : '');
  }

  toCsv(): string {
    const lines = ['t_ms,frame,latency_ms,rank,label,prob,logit'];
    for (const r of this.rows) {
      r.top.forEach((e, i) => lines.push([r.t, r.frame, r.latencyMs, i + 1, csvCell(e.label), e.prob, e.logit].join(',')));
    }
    return lines.join('\n') + '\n';
  }
}

/** RFC 4180 quoting; a leading = + - @ is prefixed with ' so a spreadsheet does not run it as a formula. */
export function csvCell(s: string): string {
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Index of `label` when its probability reaches `threshold`, else -1 (the on-screen alert). */
export function alertIndex(labels: readonly string[], probs: readonly number[], label: string, threshold: number): number {
  const i = labels.indexOf(label);
  return i >= 0 && probs[i] >= threshold ? i : -1;
}
