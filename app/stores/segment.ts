/**
 * The segmentation panel's state: one image, the prompts (each with a colour), the view settings,
 * and what the worker has computed. Prompts are segmented in the worker, which caches logits per
 * prompt: adding a prompt runs only that prompt; a new image or model runs them all again.
 */
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { onSegmentWorkerCrash, segmentWorker } from '../workers/segment-client';
import { gpuLostReason, isGpuLost } from '../../src/runtime/gpu-lost';
import type { RenderRequest, SegView } from '../workers/segment-protocol';
import { useSegModel } from './segment-model';

export interface Prompt {
  id: string;
  text: string;
  /** #rrggbb */
  color: string;
  visible: boolean;
}

export interface SegImage {
  name: string;
  width: number;
  height: number;
  bitmap: ImageBitmap;
}

export interface ProbeResult {
  x: number;
  y: number;
  /** per prompt id */
  probs: Record<string, number>;
}

interface SegmentState {
  prompts: Prompt[];
  threshold: number;
  opacity: number;
  view: SegView;
  image: SegImage | null;
  imageStatus: 'idle' | 'decoding' | 'ready' | 'error';
  imageError: string | null;
  /** prompt texts with logits for the current image and model */
  done: string[];
  running: boolean;
  runError: string | null;
  notices: string[];
  lastRun: { computed: string[]; seconds: number } | null;
  overlay: ImageBitmap | null;
  /** what `overlay` shows (view, threshold, layers): the canvas reports it once drawn, so tests wait for a state, not a count */
  overlayOf: RenderRequest | null;
  probe: ProbeResult | null;
  /** model generation the `done` list belongs to */
  generation: number;
  /**
   * The worker crashed: the image, masks and overlay shown here are kept, but the worker's copies (logits) are
   * gone, so probing and exports wait for the model to be loaded again (the image is then sent again and
   * every prompt runs again).
   */
  workerLost: boolean;

  setImage(file: File): Promise<void>;
  addPrompt(text: string): Promise<void>;
  removePrompt(id: string): void;
  updatePrompt(id: string, patch: Partial<Pick<Prompt, 'color' | 'visible'>>): void;
  setView(patch: Partial<Pick<SegmentState, 'threshold' | 'opacity' | 'view'>>): void;
  /** segments every prompt not done yet (batched) */
  run(): Promise<void>;
  render(): Promise<void>;
  probeAt(x: number, y: number): Promise<void>;
  renderRequest(): RenderRequest;
}

const PALETTE = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#bfef45', '#9a6324', '#469990'];

export function hexToRgb(hex: string): [number, number, number] {
  const v = parseInt(hex.replace('#', ''), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

let counter = 0;
const newId = () => `p${Date.now().toString(36)}${(counter++).toString(36)}`;
let renderSeq = 0;
/** the current image's file: a fresh worker (after a WebGPU failure) is given it again */
let imageFile: File | null = null;

export const useSegment = create<SegmentState>()(
  persist(
    (set, get) => ({
      prompts: [],
      threshold: 0.5,
      opacity: 0.6,
      view: 'heatmap',
      image: null,
      imageStatus: 'idle',
      imageError: null,
      done: [],
      running: false,
      runError: null,
      notices: [],
      lastRun: null,
      overlay: null,
      overlayOf: null,
      probe: null,
      generation: 0,
      workerLost: false,

      async setImage(file) {
        imageFile = file;
        set({ imageStatus: 'decoding', imageError: null, probe: null });
        try {
          const info = await segmentWorker().setImage(file, file.name);
          get().image?.bitmap.close();
          get().overlay?.close();
          set({ image: info, imageStatus: 'ready', done: [], overlay: null, lastRun: null, runError: null, workerLost: false });
          await get().run();
        } catch (e) {
          set({ imageStatus: 'error', imageError: e instanceof Error ? e.message : String(e) });
        }
      },

      async addPrompt(text) {
        const t = text.trim();
        if (!t || get().prompts.some((p) => p.text === t)) return;
        const used = new Set(get().prompts.map((p) => p.color));
        const color = PALETTE.find((c) => !used.has(c)) ?? PALETTE[get().prompts.length % PALETTE.length];
        set({ prompts: [...get().prompts, { id: newId(), text: t, color, visible: true }] });
        await get().run();
      },

      removePrompt(id) {
        set({ prompts: get().prompts.filter((p) => p.id !== id), probe: null });
        void get().render();
      },

      updatePrompt(id, patch) {
        set({ prompts: get().prompts.map((p) => (p.id === id ? { ...p, ...patch } : p)) });
        void get().render();
      },

      setView(patch) {
        set(patch);
        void get().render();
      },

      async run() {
        const model = useSegModel.getState();
        if (model.status !== 'ready' || get().imageStatus !== 'ready') return;
        // After a crash the fresh worker has the model but not the image: send it again (every prompt runs again).
        if (get().workerLost && imageFile) return get().setImage(imageFile);
        // A newly loaded model invalidates what was computed with the previous one (the worker cleared it too).
        if (get().generation !== model.generation) set({ done: [], generation: model.generation });
        if (get().running) return; // the running call picks up new prompts when it finishes
        const todo = get().prompts.map((p) => p.text).filter((t) => !get().done.includes(t));
        if (!todo.length) {
          await get().render();
          return;
        }
        set({ running: true, runError: null });
        try {
          const r = await segmentWorker().segment(todo);
          const notices = r.truncated.length ? [...get().notices, ...r.truncated.map((t) => `"${t.slice(0, 40)}…" > 77 tokens: cut`)] : get().notices;
          set({ done: [...new Set([...get().done, ...todo])], running: false, lastRun: { computed: r.computed, seconds: r.seconds }, notices });
        } catch (e) {
          const msg = e instanceof Error ? e.message : String(e);
          if (isGpuLost(msg) && imageFile) {
            // A fresh worker loads the model on WASM (src/runtime/gpu-lost.ts); the image goes to it again and every prompt reruns.
            const reason = gpuLostReason(msg);
            set({ running: false, imageStatus: 'decoding', notices: [...get().notices, reason] });
            await useSegModel.getState().restartOnWasm(reason);
            if (useSegModel.getState().status === 'ready') return get().setImage(imageFile);
            set({ imageStatus: 'error', imageError: reason });
            return;
          }
          set({ running: false, runError: msg });
          return;
        }
        // Prompts typed while the model ran.
        if (get().prompts.some((p) => !get().done.includes(p.text))) await get().run();
        else await get().render();
      },

      renderRequest() {
        const s = get();
        return {
          layers: s.prompts.filter((p) => p.visible && s.done.includes(p.text)).map((p) => ({ prompt: p.text, color: hexToRgb(p.color) })),
          view: s.view,
          threshold: s.threshold,
          opacity: s.opacity,
        };
      },

      async render() {
        // after a crash the last overlay stays on screen until the model is loaded again
        if (!get().image || get().workerLost) return;
        const seq = ++renderSeq;
        try {
          const req = get().renderRequest();
          const bmp = await segmentWorker().render(req);
          // Slider moves quickly: only the latest render is shown.
          if (seq !== renderSeq) {
            bmp.close();
            return;
          }
          get().overlay?.close();
          set({ overlay: bmp, overlayOf: req });
        } catch (e) {
          set({ runError: e instanceof Error ? e.message : String(e) });
        }
      },

      async probeAt(x, y) {
        const prompts = get().prompts.filter((p) => get().done.includes(p.text));
        if (!prompts.length || get().workerLost) return;
        const values = await segmentWorker().probabilitiesAt(prompts.map((p) => p.text), x, y);
        set({ probe: { x, y, probs: Object.fromEntries(prompts.map((p, i) => [p.id, values[i]])) } });
      },
    }),
    {
      name: 'lab-segment',
      partialize: (s) => ({ prompts: s.prompts, threshold: s.threshold, opacity: s.opacity, view: s.view }),
    },
  ),
);

// The worker died (the model store says so): the run ends with the reason; what was computed stays on screen
// (the image, the masks of the prompts done, the overlay) until the model is loaded again, when the image goes
// to the fresh worker and the prompts run again. An image being decoded is lost with the worker.
onSegmentWorkerCrash((message) => {
  const s = useSegment.getState();
  useSegment.setState({
    running: false,
    runError: message,
    workerLost: true,
    probe: null,
    ...(s.imageStatus === 'decoding' ? { imageStatus: s.image ? 'ready' : 'error', imageError: s.image ? null : message } : {}),
  });
});
