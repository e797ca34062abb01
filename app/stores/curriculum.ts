/**
 * The last easy-to-hard order of a BatchNorm run's training images computed in the hardness panel, per dataset,
 * so the BatchNorm panel can train the next run in that order without a file round trip. Kept in localStorage.
 */
import { create } from 'zustand';
import { persist } from 'zustand/middleware';

export interface KeptCurriculum {
  /** the run and vectors it was computed with, for the form's label */
  from: string;
  /** training-set indices, easiest first (excluded images left out) */
  indices: number[];
  /** images in the hardness dataset */
  of: number;
  at: number;
}

interface CurriculumState {
  byDataset: Record<string, KeptCurriculum>;
  keep(dataset: string, c: KeptCurriculum): void;
}

export const useCurriculum = create<CurriculumState>()(
  persist(
    (set) => ({
      byDataset: {},
      keep: (dataset, c) => set((s) => ({ byDataset: { ...s.byDataset, [dataset]: c } })),
    }),
    { name: 'lab-curriculum' },
  ),
);
