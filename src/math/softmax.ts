/**
 * The lab's one softmax: numerically stable (the maximum is subtracted first), float64 throughout,
 * so CLIP-scale logits (100 x cosine) never overflow. Returns plain numbers (they go into JSON as
 * they are); callers that keep a typed array copy with `.set()`.
 */
export function softmax(logits: ArrayLike<number>): number[] {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i] > max) max = logits[i];
  const p = new Array<number>(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    p[i] = Math.exp(logits[i] - max);
    sum += p[i];
  }
  for (let i = 0; i < p.length; i++) p[i] /= sum;
  return p;
}
