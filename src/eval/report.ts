/**
 * A run's report as JSON, CSV and one self-contained HTML page (inline CSS and SVG, no script,
 * nothing fetched), so it can be shared as a single file.
 */
import type { EvalReport } from './run';
import type { ReferenceRow } from './reference';

export const REPORT_FORMAT = 'clip-lab/evaluation';

export function reportJson(r: EvalReport, reference: readonly ReferenceRow[] = []): string {
  return JSON.stringify({ format: REPORT_FORMAT, ...r, reference }, null, 1);
}

const pct = (x: number) => (Number.isFinite(x) ? (100 * x).toFixed(2) : '');
const csvCell = (v: string | number) => {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** One table, one row per figure: section, name, value (percent), images. */
export function reportCsv(r: EvalReport, reference: readonly ReferenceRow[] = []): string {
  const rows: (string | number)[][] = [['section', 'name', 'top1_percent', 'top5_percent', 'images']];
  rows.push(['overall', r.templates.set, pct(r.top1), pct(r.top5), r.n]);
  for (const a of r.templates.ablation) rows.push(['templates', a.set, pct(a.top1), pct(a.top5), r.n]);
  for (const t of r.templates.per_template) rows.push(['template', t.template, pct(t.top1), '', r.n]);
  for (const c of r.per_class) rows.push(['class', c.class, pct(c.top1), '', c.n]);
  if (r.probe) {
    rows.push(['probe', `C=${r.probe.C.toPrecision(3)}`, pct(r.probe.top1), '', r.n]);
    for (const s of r.probe.shots) rows.push(['probe shots', String(s.shots), pct(s.top1), '', s.n]);
  }
  for (const ref of reference) rows.push(['reference', `${ref.arch} ${ref.protocol} (${ref.citation})`, pct(ref.top1), '', '']);
  for (const e of r.errors) rows.push(['error', `${e.image}: ${e.error}`, '', '', '']);
  return rows.map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function bars(items: { label: string; value: number }[]): string {
  const w = 420;
  const h = 22;
  const body = items
    .map((it, i) => {
      const len = Math.max(0, Math.min(1, it.value)) * (w - 200);
      return `<text x="0" y="${i * h + 15}">${esc(it.label.length > 28 ? it.label.slice(0, 27) + '…' : it.label)}</text><rect x="190" y="${i * h + 4}" width="${len.toFixed(1)}" height="14" fill="#3b6fb6"/><text x="${(195 + len).toFixed(1)}" y="${i * h + 15}">${pct(it.value)}%</text>`;
    })
    .join('');
  return `<svg role="img" width="${w}" height="${items.length * h + 4}" font-size="12" font-family="sans-serif">${body}</svg>`;
}

function confusionSvg(r: EvalReport): string {
  const C = r.classes.length;
  const cell = Math.max(3, Math.min(24, Math.floor(480 / C)));
  let body = '';
  for (let y = 0; y < C; y++) {
    const total = r.confusion[y].reduce((a, b) => a + b, 0) || 1;
    for (let x = 0; x < C; x++) {
      const v = r.confusion[y][x] / total;
      if (v > 0) body += `<rect x="${x * cell}" y="${y * cell}" width="${cell}" height="${cell}" fill="rgba(59,111,182,${v.toFixed(3)})"><title>${esc(r.classes[y])} → ${esc(r.classes[x])}: ${r.confusion[y][x]}</title></rect>`;
    }
  }
  return `<svg role="img" aria-label="confusion matrix, rows true class, columns predicted" width="${C * cell}" height="${C * cell}" style="border:1px solid #999">${body}</svg>`;
}

export function reportHtml(r: EvalReport, reference: readonly ReferenceRow[] = []): string {
  const table = (head: string[], rows: (string | number)[][]) =>
    `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((row) => `<tr>${row.map((c) => `<td>${esc(String(c))}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
  const settings = Object.entries({ model: r.model, dataset: r.dataset, split: r.split, images: r.n, templates: r.templates.set, ...r.settings });
  const probe = r.probe
    ? `<h2>Linear probe</h2><p>L-BFGS logistic regression on the train split's features; C = ${r.probe.C.toPrecision(3)} chosen on a held-out part of train (${pct(r.probe.heldout_top1)}%), refit on ${r.probe.train_n} images.</p>` +
      table(['shots per class', 'train images', 'top-1 %'], r.probe.shots.map((s) => [String(s.shots), s.n, pct(s.top1)])) +
      bars(r.probe.shots.map((s) => ({ label: `${s.shots} shots`, value: s.top1 })))
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>CLIP Lab evaluation: ${esc(r.model)} on ${esc(r.dataset)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}th{background:#eee}</style></head><body>
<h1>Evaluation: ${esc(r.model)} on ${esc(r.dataset)} (${esc(r.split)})</h1>
${table(['setting', 'value'], settings.map(([k, v]) => [k, String(v)]))}
<h2>Zero-shot</h2>
${table(['', 'top-1 %', 'top-5 %', 'images'], [['this run (' + r.templates.set + ')', pct(r.top1), pct(r.top5), r.n], ...reference.map((x) => [`${x.arch} ${x.protocol}: ${x.citation}`, pct(x.top1), '', ''])])}
<h2>Template sets</h2>
${table(['set', 'templates', 'top-1 %', 'top-5 %', 'Δ vs class name (points)'], r.templates.ablation.map((a) => [a.set, a.count, pct(a.top1), pct(a.top5), (100 * a.delta).toFixed(2)]))}
${bars(r.templates.ablation.map((a) => ({ label: a.set, value: a.top1 })))}
<h3>Each template alone</h3>
${table(['template', 'top-1 %'], r.templates.per_template.map((t) => [t.template, pct(t.top1)]))}
<h2>Per class</h2>
${table(['class', 'images', 'top-1 %'], r.per_class.map((c) => [c.class, c.n, pct(c.top1)]))}
<h2>Confusion matrix</h2><p>Rows: true class; columns: predicted (share of the row).</p>${confusionSvg(r)}
${probe}
${r.errors.length ? `<h2>Images that could not be used (${r.errors.length})</h2>` + table(['image', 'reason'], r.errors.map((e) => [e.image, e.error])) : ''}
</body></html>
`;
}
