/**
 * The few WebAssembly binary-format pieces the lab's hand-assembled SIMD kernels share (search ranking,
 * PIL-exact resampling): small modules built from their instructions, no binary blob and no build step.
 */

export const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
export const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
export const section = (id: number, bytes: number[]): number[] => [id, ...uleb(bytes.length), ...bytes];
export const name = (s: string): number[] => vec([...s].map((ch) => [ch.charCodeAt(0)]));

export const I32 = 0x7f;
export const V128 = 0x7b;
export const get = (l: number) => [0x20, l];
export const set = (l: number) => [0x21, l];
export const tee = (l: number) => [0x22, l];
export const simd = (op: number, ...rest: number[]) => [0xfd, ...uleb(op), ...rest];
