/** Messages between the Evaluate panel and its worker (Comlink; plain data and Files only). */
import type { ClipWorkerApi } from '../../src/runtime/clip-protocol';
import type { Split } from '../../src/eval/archives';
import type { DatasetKind } from '../../src/eval/prompts';
import type { EvalReport } from '../../src/eval/run';
import type { ReferenceRow } from '../../src/eval/reference';
import type { Selection } from '../../src/eval/select';
import type { TemplateChoice } from '../../src/eval/prompts';

export interface EvalRequest {
  /** an archive (.tar.gz), or a zip of a class/image tree for dataset 'folder' */
  file?: Blob;
  fileName: string;
  /** a dropped class/image folder (dataset 'folder') */
  files?: { path: string; file: Blob }[];
  dataset: DatasetKind;
  split: Split;
  selection: Selection;
  choice: TemplateChoice;
  probe: boolean;
  seed: number;
  /** the loaded model's label, dtype and device, for the report */
  model: string;
  dtype: string;
  device: string;
}

export type EvalEvent =
  | { type: 'read'; done: number; total: number }
  | { type: 'phase'; phase: 'text' | 'test' | 'train' | 'probe'; done: number; total: number };

export interface EvalResult {
  report: EvalReport;
  reference: ReferenceRow[];
  seconds: number;
}

export interface EvalWorkerApi {
  attachClip(port: MessagePort): void;
  run(req: EvalRequest, onEvent: (e: EvalEvent) => void | Promise<void>): Promise<EvalResult>;
  cancel(): void;
}

export type { ClipWorkerApi };
