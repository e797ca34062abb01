/**
 * Where GPU self-check verdicts are remembered (IndexedDB "lab-gpu-trust", readable from the page and from
 * every worker) and the one function the workers call before they use WebGPU: `trustGpu` runs the check once
 * per adapter and browser version (src/runtime/gpu-check.ts's adapterKey), stores the verdict, and says
 * whether WebGPU may be used. The comparison itself is src/runtime/gpu-check.ts.
 */
import { openDB } from 'idb';
import { adapterKey, compareProbes, describeMismatch, forcedVerdict, type AdapterInfoLike, type GpuCheckForce, type GpuVerdict, type ProbeFigures, type Tolerance } from '../../src/runtime/gpu-check';

const db = () => openDB('lab-gpu-trust', 1, { upgrade: (d) => d.createObjectStore('verdicts') });

export async function getVerdict(check: string, key: string): Promise<GpuVerdict | undefined> {
  return (await db()).get('verdicts', `${check}|${key}`);
}

export async function putVerdict(v: GpuVerdict): Promise<void> {
  await (await db()).put('verdicts', v, `${v.check}|${v.key}`);
}

/** "Check again": forgets every verdict of `check` (or all), so the next use runs the check. */
export async function forgetVerdicts(check?: string): Promise<void> {
  const d = await db();
  for (const k of await d.getAllKeys('verdicts')) if (!check || String(k).startsWith(`${check}|`)) await d.delete('verdicts', k);
}

/** This adapter's key, or null when there is no WebGPU adapter. */
export async function currentAdapterKey(): Promise<string | null> {
  const gpu = (navigator as { gpu?: { requestAdapter(): Promise<{ info?: AdapterInfoLike } | null> } }).gpu;
  const a = await gpu?.requestAdapter().catch(() => null);
  if (!a) return null;
  return adapterKey(a.info, navigator.userAgent);
}

export interface TrustOutcome extends GpuVerdict {
  /** true when the check ran now (false: a remembered verdict) */
  fresh: boolean;
}

/**
 * The remembered verdict for this adapter, or a fresh one: `runGpu` and `runWasm` compute the same fixed thing on
 * each backend, and `compareProbes` decides with `tol`. A check that throws on the GPU is a mismatch (its error is
 * the reason); one that throws on WASM is not remembered (nothing learnt about the GPU) and keeps WASM this time.
 */
export async function trustGpu(
  check: string,
  tol: Tolerance,
  runGpu: () => Promise<ProbeFigures>,
  runWasm: () => Promise<ProbeFigures>,
  force?: GpuCheckForce,
): Promise<TrustOutcome> {
  const key = (await currentAdapterKey()) ?? 'no-adapter';
  const known = await getVerdict(check, key).catch(() => undefined);
  if (known && !force) return { ...known, fresh: false };
  let gpu: ProbeFigures;
  try {
    gpu = await runGpu();
  } catch (e) {
    const v: GpuVerdict = { check, key, ok: false, reason: `the check failed on WebGPU (${e instanceof Error ? e.message : String(e)})`, at: Date.now() };
    await putVerdict(v).catch(() => undefined);
    return { ...v, fresh: true };
  }
  let wasm: ProbeFigures;
  try {
    wasm = await runWasm();
  } catch (e) {
    return { check, key, ok: false, reason: `the check failed on WebAssembly (${e instanceof Error ? e.message : String(e)})`, at: Date.now(), fresh: true };
  }
  const c = forcedVerdict(force, compareProbes(gpu, wasm, tol));
  const v: GpuVerdict = { check, key, ok: c.ok, reason: c.mismatch ? describeMismatch(c.mismatch) : undefined, at: Date.now() };
  await putVerdict(v).catch(() => undefined);
  return { ...v, fresh: true };
}
