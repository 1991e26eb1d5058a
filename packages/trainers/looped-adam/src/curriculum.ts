/**
 * A staircase schedule (Garg et al. 2022's curriculum, used by Yang et al. 2023): the value starts
 * at `start` and grows by `increment` every `interval` completed steps, up to a cap the caller
 * gives (the model's loop count, the prompt's point count).
 */
export interface CurriculumSchedule {
  /** Value during the first `interval` steps. */
  start: number;
  /** Added every `interval` steps. */
  increment: number;
  /** Steps between increments. */
  interval: number;
}

/** The value after `step` completed steps: min(cap, start + increment · ⌊step / interval⌋). */
export function scheduleValue(schedule: CurriculumSchedule, step: number, cap: number): number {
  return Math.min(cap, schedule.start + schedule.increment * Math.floor(step / schedule.interval));
}

/** A schedule from its flat options (`loopsStart`, `loopsIncrement`, `loopsInterval`); a null start: none. */
export function staircase(start: number | null, increment: number, interval: number): CurriculumSchedule | null {
  return start === null ? null : { start, increment, interval };
}
