/**
 * Pause and step-once for a run in the worker. The loop awaits its sink's `checkpoint` after each
 * evaluation, so a gate there holds the run between two evaluations without touching the loop:
 * Pause holds it at the next evaluation, Step lets it train to the one after and holds it again,
 * Resume lets it go on, and Stop (`release`) lets it reach the loop's own stop check. Its clock
 * (`now`) leaves the held time out, so a record's wall times are training time.
 */

export type GateState = 'running' | 'pausing' | 'paused';

export class PauseGate {
  private holdNext = false;
  private waiting: (() => void) | null = null;
  /** ms held so far, not counting a hold still going on (which began at `heldSince`). */
  private heldMs = 0;
  private heldSince = 0;

  constructor(private readonly clock: () => number = () => performance.now()) {}

  /** ms on `clock` with every hold left out: it stands still while the run is held. */
  now(): number {
    return (this.waiting ? this.heldSince : this.clock()) - this.heldMs;
  }

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
    this.heldSince = this.clock();
    onHold();
    await released;
    return true;
  }

  private open(): void {
    const go = this.waiting;
    if (go) this.heldMs += this.clock() - this.heldSince;
    this.waiting = null;
    go?.();
  }
}
