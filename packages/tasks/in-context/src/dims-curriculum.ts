import { staircaseAt } from '@learnability/core';

/**
 * The dimension curriculum of Garg et al. 2022 (used by Yang et al. 2023: 5 → 20): during
 * training only the first `active` coordinates of x are nonzero and the functions depend on them
 * alone; `active` starts at `start` and grows by `increment` every `interval` steps, up to d.
 */
export interface DimsCurriculum {
  /** Active coordinates during the first `interval` steps. */
  start: number;
  /** Added every `interval` steps. */
  increment: number;
  /** Steps between increments. */
  interval: number;
}

/**
 * Active coordinates for the batch of 1-based training `step` (after step − 1 completed steps,
 * the same clock as the trainer's curricula); all d without a step or a curriculum.
 */
export function activeDims(dims: number, curriculum: DimsCurriculum | null, step: number | undefined): number {
  if (curriculum === null || step === undefined) return dims;
  return staircaseAt(curriculum.start, curriculum.increment, curriculum.interval, step - 1, dims) ?? dims;
}
