// Small helpers shared by the page and the Node side (no browser or Node APIs).
export const TEN_PROMPTS = ['cat', 'dog', 'car', 'tree', 'house', 'boat', 'bird', 'flower', 'mountain', 'person']
  .map((c) => `a photo of a ${c}.`);

export function median(v: number[]): number {
  const s = [...v].sort((x, y) => x - y);
  return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN;
}
