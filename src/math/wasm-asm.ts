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

/**
 * A module exporting its memory and `fns`, each taking `params` i32 arguments and returning nothing
 * (one shared type; the memory starts at one page and callers grow it).
 */
export function moduleOf(params: number, fns: [string, number[]][]): Uint8Array<ArrayBuffer> {
  const fn = (body: number[]) => [...uleb(body.length), ...body];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, vec([[0x60, ...vec(new Array(params).fill([I32])), ...vec([])]])),
    ...section(3, vec(fns.map(() => [0]))),
    ...section(5, vec([[0x00, 1]])),
    ...section(7, vec([[...name('memory'), 0x02, 0], ...fns.map(([n], i) => [...name(n), 0x00, i])])),
    ...section(10, vec(fns.map(([, body]) => fn(body)))),
  ]);
}
