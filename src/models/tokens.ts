/** Token ids of a batch of texts as the encoders take them, and the cut + pad step every family shares. */

export interface Tokens {
  /** [count, length] row-major */
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
  count: number;
  length: number;
  /** per text: true when it was longer than the context and got cut */
  truncated: boolean[];
}

/**
 * Sequences that already end with the end token: those longer than `maxLength` keep their first
 * maxLength - 1 ids and the end token (the reference pools at or after it; transformers.js 4.3.1 cuts
 * it off), then every row is padded with `pad` to `length` (default: the longest row).
 */
export function cutAndPad(seqs: readonly number[][], maxLength: number, eos: number, pad: number, length?: number): Tokens {
  const truncated = seqs.map((s) => s.length > maxLength);
  const rows = seqs.map((s) => (s.length > maxLength ? [...s.slice(0, maxLength - 1), eos] : s));
  const L = length ?? Math.max(1, ...rows.map((s) => s.length));
  const inputIds = new BigInt64Array(rows.length * L).fill(BigInt(pad));
  const attentionMask = new BigInt64Array(rows.length * L);
  rows.forEach((s, i) => {
    for (let j = 0; j < s.length; j++) {
      inputIds[i * L + j] = BigInt(s[j]);
      attentionMask[i * L + j] = 1n;
    }
  });
  return { inputIds, attentionMask, count: rows.length, length: L, truncated };
}
