/**
 * The status line while a run goes: step, test accuracy, speed and the time left (the ETA, paused
 * time left out), and the words for Pause and Step.
 */
import type { EvalEvent } from '@learnability/core';
import { ActiveClock, etaSeconds, formatDuration } from '../lab/eta.js';
import type { ProgressPoint } from '../lab/eta.js';
import { evalLine } from '../lab/run-text.js';

export class RunProgress {
  private readonly clock = new ActiveClock();
  private points: ProgressPoint[] = [];
  private totalSteps = 0;

  /** A session starts (Run or Continue) at `startStep` of `totalSteps`. */
  start(startStep: number, totalSteps: number): void {
    this.clock.start(performance.now());
    this.points = [{ step: startStep, seconds: 0 }];
    this.totalSteps = totalSteps;
  }

  pause(): void {
    this.clock.pause(performance.now());
  }

  resume(): void {
    this.clock.resume(performance.now());
  }

  /** Seconds left at the recent pace, or null before the first evaluation. */
  eta(): number | null {
    return etaSeconds(this.points, this.totalSteps);
  }

  /** Records `e` and gives the status line for it. */
  evaluated(e: EvalEvent, backend: string, stopWhenLearned: boolean): string {
    this.points.push({ step: e.step, seconds: this.clock.seconds(performance.now()) });
    const eta = this.eta();
    // With stopWhenLearned the run may end early: the time left is then at most this.
    const left = eta === null ? '' : ` · ${stopWhenLearned ? 'at most ' : ''}${formatDuration(eta)} left`;
    return `${evalLine(e, backend, this.totalSteps)}${left}`;
  }
}

/** The status line of a run held at `step` (Pause, or Step reaching its evaluation). */
export function pausedLine(step: number, evalEvery: number): string {
  return `paused at step ${step}: Step trains ${evalEvery} steps to the next evaluation, Resume goes on`;
}
