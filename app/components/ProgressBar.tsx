/** An accessible progress bar; `value` in [0,1], or null for indeterminate. */
export function ProgressBar({ value, label, text }: { value: number | null; label: string; text?: string }) {
  const pct = value === null ? undefined : Math.round(Math.max(0, Math.min(1, value)) * 100);
  return (
    <div className="progress-row">
      <div
        className={`progress${value === null ? ' indeterminate' : ''}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-valuetext={text}
      >
        <div className="progress-fill" style={{ width: pct === undefined ? undefined : `${pct}%` }} />
      </div>
      {text && <span className="progress-text">{text}</span>}
    </div>
  );
}
