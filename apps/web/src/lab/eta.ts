/**
 * Time left in a run, from the pace of its recent evaluations. Paused time does not count: the
 * page reads the run's time on an ActiveClock it pauses while the worker holds the run.
 */

/** A point of a run's progress: the step reached after `seconds` of (unpaused) running. */
export interface ProgressPoint {
  step: number;
  seconds: number;
}

/** Intervals between evaluations the pace is averaged over: recent enough to follow a change of speed. */
export const ETA_WINDOW = 5;

/**
 * Seconds until `totalSteps`, at the pace of the last ETA_WINDOW intervals of `points` (oldest
 * first; the first is where the session started). Null until two points exist or when no step
 * was taken in the window.
 */
export function etaSeconds(points: readonly ProgressPoint[], totalSteps: number): number | null {
  const last = points[points.length - 1];
  const first = points[Math.max(0, points.length - 1 - ETA_WINDOW)];
  if (!last || !first || last === first || last.step <= first.step) return null;
  const secondsPerStep = (last.seconds - first.seconds) / (last.step - first.step);
  return Math.max(0, totalSteps - last.step) * secondsPerStep;
}

/** `8 s`, `2 min 05 s`, `1 h 02 min`. */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** A stopwatch that can be paused: seconds of running since `start`. Times in ms (performance.now()). */
export class ActiveClock {
  private origin = 0;
  private pausedAt: number | null = null;

  start(now: number): void {
    this.origin = now;
    this.pausedAt = null;
  }

  pause(now: number): void {
    this.pausedAt ??= now;
  }

  resume(now: number): void {
    if (this.pausedAt === null) return;
    this.origin += now - this.pausedAt;
    this.pausedAt = null;
  }

  seconds(now: number): number {
    return ((this.pausedAt ?? now) - this.origin) / 1000;
  }
}
