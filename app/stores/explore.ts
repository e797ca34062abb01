/**
 * The Explore panel: embeddings of the CLIP panel's images (held by the explore worker), search,
 * near-duplicates, the linear probe and its head, the distribution-shift lab and the 2-D map.
 * Images, model and prompt templates stay in their own stores; labels are the folder names,
 * overridden by the classes the user clicks images into here.
 */
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { exploreWithClip, exploreWorker, onExploreWorkerCrash, proxy } from '../workers/explore-client';
import { onClipWorkerCrash } from '../workers/clip-client';
import { useImages, type ImageItem } from './images';
import { useModel } from './model';
import { currentClasses, useClassify } from './classify';
import type { HeadJson } from '../../src/math/linear-probe';
import type { ShiftName } from '../../src/clip/shifts';
import type {
  ClassPrompts,
  EmbedSummary,
  ExploreItem,
  MapResult,
  Predictions,
  ProbeResult,
  Progress,
  SearchResult,
  ShiftResult,
} from '../workers/explore-protocol';

export type MapColour = 'label' | 'zeroshot' | 'probe';

interface ExploreState {
  status: 'idle' | 'embedding' | 'ready' | 'error';
  progress: Progress | null;
  error: string | null;
  /** model + image ids the worker's embeddings belong to */
  embeddedKey: string;
  summary: EmbedSummary | null;

  /** labels the user gave by clicking, by image id (override the folder name) */
  manual: Record<string, string>;
  /** classes created here before any image has them */
  extraClasses: string[];

  query: string;
  search: SearchResult | null;
  /** the typed query the shown results rank for (null for "more like this"); lets a reader tell a stale ranking from the current one */
  searchedFor: string | null;
  /** "more like this" source image, when the ranking came from an image */
  similarTo: string | null;
  searchError: string | null;
  dupThreshold: number;
  dupGroups: { groups: string[][]; ms: number; threshold: number } | null;

  heldOut: number;
  seed: number;
  l2: number;
  probeRunning: boolean;
  probe: ProbeResult | null;
  probeError: string | null;
  head: { json: HeadJson; origin: 'trained' | 'imported'; name?: string } | null;
  headPredictions: Predictions | null;

  shifts: ShiftName[];
  severities: number[];
  shiftRunning: boolean;
  shiftProgress: Progress | null;
  shift: ShiftResult | null;
  shiftClasses: string[];
  shiftError: string | null;

  mapColour: MapColour;
  mapMethod: 'auto' | 'pca' | 'umap';
  map: (MapResult & { ids: string[]; classes: string[] }) | null;
  mapRunning: boolean;
  mapError: string | null;
  zeroShot: Predictions | null;

  ensureEmbedded(): Promise<void>;
  setQuery(q: string): void;
  runSearch(): Promise<void>;
  moreLikeThis(id: string): Promise<void>;
  setDupThreshold(t: number): void;
  findDuplicates(): Promise<void>;
  setLabel(id: string, label: string | null): void;
  addClass(name: string): void;
  setProbeOption(p: Partial<Pick<ExploreState, 'heldOut' | 'seed' | 'l2'>>): void;
  trainProbe(): Promise<void>;
  importHead(json: unknown, name: string): Promise<void>;
  applyHead(): Promise<void>;
  toggleShift(s: ShiftName): void;
  toggleSeverity(v: number): void;
  runShifts(): Promise<void>;
  cancelShifts(): void;
  setMapColour(c: MapColour): void;
  setMapMethod(m: 'auto' | 'pca' | 'umap'): void;
  buildMap(): Promise<void>;
}

/** The label of an image: the class it was clicked into, else its folder name. */
export function labelOf(item: ImageItem, manual: Record<string, string>): string | undefined {
  return manual[item.id] ?? item.label;
}

/** Classes for the probe and the lab: every label in use (plus ones created here), sorted. */
export function probeClasses(items: ImageItem[], manual: Record<string, string>, extra: string[] = []): string[] {
  const set = new Set<string>(extra);
  for (const i of items) {
    const l = labelOf(i, manual);
    if (l) set.add(l);
  }
  return [...set].sort((a, b) => a.localeCompare(b));
}

/** Class index per image id for `classes` (unlabelled: -1). */
export function labelIndexes(items: ImageItem[], manual: Record<string, string>, classes: string[]): Record<string, number> {
  const at = new Map(classes.map((c, i) => [c, i]));
  return Object.fromEntries(items.map((i) => [i.id, at.get(labelOf(i, manual) ?? '') ?? -1]));
}

/** The CLIP panel's templates (its preset's ensemble, or its single template). */
export function currentTemplates(): string[] {
  const c = useClassify.getState();
  return c.presetTemplates.length ? c.presetTemplates : [c.template];
}

/** Zero-shot prompts for the label classes; without labels, the CLIP panel's class list. */
export function promptsFor(classes: string[]): ClassPrompts {
  return { classes, templates: currentTemplates() };
}

function toItems(items: ImageItem[]): ExploreItem[] {
  return items.map((i) => ({ id: i.id, name: i.path, file: i.file, hash: i.hash }));
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));
let embedSeq = 0;
let searchSeq = 0;

export const useExplore = create<ExploreState>()(
  persist(
    (set, get) => {
      const modelRequest = () => {
        const m = useModel.getState().loaded;
        return m ? { label: m.label, device: m.device, dtype: m.dtype } : null;
      };
      const classesNow = () => probeClasses(useImages.getState().items, get().manual, get().extraClasses);

      return {
        status: 'idle',
        progress: null,
        error: null,
        embeddedKey: '',
        summary: null,
        manual: {},
        extraClasses: [],
        query: '',
        search: null,
        searchedFor: null,
        similarTo: null,
        searchError: null,
        dupThreshold: 0.95,
        dupGroups: null,
        heldOut: 0.3,
        seed: 0,
        l2: 1e-3,
        probeRunning: false,
        probe: null,
        probeError: null,
        head: null,
        headPredictions: null,
        shifts: ['gaussian-noise', 'blur', 'jpeg'],
        severities: [1, 2, 3, 4, 5],
        shiftRunning: false,
        shiftProgress: null,
        shift: null,
        shiftClasses: [],
        shiftError: null,
        mapColour: 'label',
        mapMethod: 'auto',
        map: null,
        mapRunning: false,
        mapError: null,
        zeroShot: null,

        async ensureEmbedded() {
          const req = modelRequest();
          const items = useImages.getState().items;
          if (!req || !items.length) return;
          const key = JSON.stringify([req.label, req.device, req.dtype, items.map((i) => i.id)]);
          if (key === get().embeddedKey && get().status !== 'error') return;
          const seq = ++embedSeq;
          // The same model and images again (after a crash): the results shown stay, the embeddings will be the same.
          const same = key === get().embeddedKey;
          set({ status: 'embedding', embeddedKey: key, error: null, progress: null, ...(same ? {} : { search: null, dupGroups: null, map: null, zeroShot: null, headPredictions: null }) });
          try {
            const summary = await (await exploreWithClip()).embed(req, toItems(items), proxy((p: Progress) => seq === embedSeq && set({ progress: p })));
            if (seq !== embedSeq) return;
            set({ status: 'ready', summary, progress: null });
            if (get().query.trim()) await get().runSearch();
          } catch (e) {
            if (seq === embedSeq) set({ status: 'error', error: errorText(e), progress: null });
          }
        },

        setQuery(query) {
          set({ query });
        },

        async runSearch() {
          const q = get().query.trim();
          if (get().status !== 'ready') return;
          if (!q) {
            set({ search: null, searchedFor: null, similarTo: null });
            return;
          }
          const seq = ++searchSeq;
          try {
            const r = await (await exploreWithClip()).search(q, 200);
            if (seq === searchSeq) set({ search: r, searchedFor: q, similarTo: null, searchError: null });
          } catch (e) {
            if (seq === searchSeq) set({ searchError: errorText(e) });
          }
        },

        async moreLikeThis(id) {
          const seq = ++searchSeq;
          try {
            const r = await (await exploreWithClip()).moreLikeThis(id, 200);
            if (seq === searchSeq) set({ search: r, searchedFor: null, similarTo: id, searchError: null });
          } catch (e) {
            set({ searchError: errorText(e) });
          }
        },

        setDupThreshold(dupThreshold) {
          set({ dupThreshold });
        },

        async findDuplicates() {
          if (get().status !== 'ready') return;
          const threshold = get().dupThreshold;
          try {
            const r = await (await exploreWithClip()).duplicates(threshold);
            set({ dupGroups: { ...r, threshold } });
          } catch (e) {
            set({ searchError: errorText(e) });
          }
        },

        setLabel(id, label) {
          const manual = { ...get().manual };
          if (label) manual[id] = label;
          else delete manual[id];
          set({ manual });
        },

        addClass(name) {
          const n = name.trim();
          if (n && !get().extraClasses.includes(n)) set({ extraClasses: [...get().extraClasses, n] });
        },

        setProbeOption(p) {
          set(p);
        },

        async trainProbe() {
          if (get().status !== 'ready') return;
          const items = useImages.getState().items;
          // Classes created here but given no image yet are left out of the head.
          const used = new Set(items.map((i) => labelOf(i, get().manual)));
          const classes = classesNow().filter((c) => used.has(c));
          set({ probeRunning: true, probeError: null });
          try {
            const { heldOut, seed, l2 } = get();
            const probe = await (await exploreWithClip()).probe({ ...promptsFor(classes), labels: labelIndexes(items, get().manual, classes), heldOutFraction: heldOut, seed, l2 });
            set({ probe, head: { json: probe.head, origin: 'trained' }, probeRunning: false });
            await get().applyHead();
          } catch (e) {
            set({ probeError: errorText(e), probeRunning: false });
          }
        },

        async importHead(json, name) {
          try {
            // The worker validates it (dimension, shape); a bad file leaves the current head.
            const p = await (await exploreWithClip()).applyHead(json as HeadJson);
            set({ head: { json: json as HeadJson, origin: 'imported', name }, headPredictions: p, probeError: null });
          } catch (e) {
            set({ probeError: `${name}: ${errorText(e)}` });
          }
        },

        async applyHead() {
          const head = get().head;
          if (!head || get().status !== 'ready') return;
          try {
            set({ headPredictions: await (await exploreWithClip()).applyHead(head.json) });
          } catch (e) {
            set({ probeError: errorText(e) });
          }
        },

        toggleShift(s) {
          const has = get().shifts.includes(s);
          set({ shifts: has ? get().shifts.filter((x) => x !== s) : [...get().shifts, s] });
        },

        toggleSeverity(v) {
          const has = get().severities.includes(v);
          set({ severities: (has ? get().severities.filter((x) => x !== v) : [...get().severities, v]).sort((a, b) => a - b) });
        },

        async runShifts() {
          const { shifts, severities } = get();
          if (get().status !== 'ready' || !shifts.length || !severities.length) return;
          const items = useImages.getState().items;
          let classes = classesNow();
          // Without labels there is no accuracy, but prediction changes still show: use the CLIP panel's classes.
          if (classes.length < 2) classes = currentClasses(useClassify.getState().classesText).classes;
          const head = get().head?.json ?? null;
          const usable = head && head.classes.length === classes.length && head.classes.every((c, i) => c === classes[i]) ? head : null;
          set({ shiftRunning: true, shiftError: null, shiftProgress: null });
          try {
            const shift = await (await exploreWithClip()).shiftLab(
              { ...promptsFor(classes), shifts, severities, labels: labelIndexes(items, get().manual, classes), head: usable, seed: get().seed, items: toItems(items) },
              proxy((p: Progress) => set({ shiftProgress: p })),
            );
            set({ shift, shiftClasses: classes, shiftRunning: false, shiftProgress: null });
          } catch (e) {
            set({ shiftError: errorText(e), shiftRunning: false, shiftProgress: null });
          }
        },

        cancelShifts() {
          void exploreWorker().cancelShift();
        },

        setMapColour(mapColour) {
          set({ mapColour });
        },

        setMapMethod(mapMethod) {
          set({ mapMethod });
        },

        async buildMap() {
          if (get().status !== 'ready') return;
          let classes = classesNow();
          if (classes.length < 2) classes = currentClasses(useClassify.getState().classesText).classes;
          set({ mapRunning: true, mapError: null });
          try {
            const prompts = promptsFor(classes);
            const w = await exploreWithClip();
            const [m, zeroShot] = await Promise.all([w.map({ ...prompts, method: get().mapMethod }), w.zeroShot(prompts)]);
            set({ map: { ...m, ids: get().summary?.ids ?? [], classes }, zeroShot, mapRunning: false });
          } catch (e) {
            set({ mapError: errorText(e), mapRunning: false });
          }
        },
      };
    },
    {
      name: 'lab-explore',
      partialize: (s) => ({
        dupThreshold: s.dupThreshold,
        heldOut: s.heldOut,
        seed: s.seed,
        l2: s.l2,
        shifts: s.shifts,
        severities: s.severities,
        mapColour: s.mapColour,
        mapMethod: s.mapMethod,
        // A small head is kept across visits; a big one (e.g. 1,000 classes) would not fit localStorage: export it.
        head: s.head && s.head.json.classes.length * s.head.json.dim <= 50_000 ? s.head : null,
      }),
    },
  ),
);

// The explore worker died: its embeddings went with it, so every job ends with the reason and the
// next visit embeds again. The CLIP worker (which embeds for it) dying ends an embedding in progress.
onExploreWorkerCrash((message) => {
  embedSeq++;
  searchSeq++;
  const s = useExplore.getState();
  useExplore.setState({
    // The key stays: "embed again" (status 'error' allows it) keeps the results shown, which were computed from these embeddings.
    status: 'error',
    error: message,
    progress: null,
    ...(s.probeRunning ? { probeRunning: false, probeError: message } : {}),
    ...(s.shiftRunning ? { shiftRunning: false, shiftError: message, shiftProgress: null } : {}),
    ...(s.mapRunning ? { mapRunning: false, mapError: message } : {}),
  });
});
onClipWorkerCrash((message) => {
  if (useExplore.getState().status !== 'embedding') return;
  embedSeq++;
  useExplore.setState({ status: 'error', error: message, progress: null });
});
