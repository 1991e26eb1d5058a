/**
 * Pause and step-once for a run in the worker. The loop awaits its sink's `checkpoint` after each
 * evaluation, so a gate there holds the run between two evaluations without touching the loop:
 * Pause holds it at the next evaluation, Step lets it train to the one after and holds it again,
 * Resume lets it go on, and Stop (`release`) lets it reach the loop's own stop check.
 */

export type GateState = 'running' | 'pausing' | 'paused';

export class PauseGate {
  private holdNext = false;
  private waiting: (() => void) | null = null;

  /** `running` (no pause asked), `pausing` (holds at the next evaluation), `paused` (holding now). */
  get state(): GateState {
    return this.waiting ? 'paused' : this.holdNext ? 'pausing' : 'running';
  }

  /** Hold at the next evaluation. */
  pause(): void {
    this.holdNext = true;
  }

  /** Train to the next evaluation and hold there (pauses first if running). */
  step(): void {
    this.holdNext = true;
    this.open();
  }

  /** Go on without holding. */
  resume(): void {
    this.holdNext = false;
    this.open();
  }

  /** Lets a held run go (for Stop), without asking for another hold. */
  release(): void {
    this.resume();
  }

  /**
   * Called at each evaluation: resolves at once unless a pause was asked for; then `onHold` runs
   * and the promise resolves when Step, Resume or Stop lets the run go. True when it held.
   */
  async atEvaluation(onHold: () => void): Promise<boolean> {
    if (!this.holdNext) return false;
    const released = new Promise<void>((resolve) => (this.waiting = resolve));
    onHold();
    await released;
    return true;
  }

  private open(): void {
    const go = this.waiting;
    this.waiting = null;
    go?.();
  }
}
