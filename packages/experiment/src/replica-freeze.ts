import * as tf from '@tensorflow/tfjs-core';
import type { TrainerState } from '@learnability/core';

/**
 * Lets packed replicas fail alone. Every tensor of a trainer state has the leading replica axis
 * R (`TrainerState`), so a diverged replica is frozen generically, for every trainer: after
 * each step its slice of every param and slot is put back to the state of the last evaluation
 * at which all its parameters were finite. The other replicas train on untouched (replicas
 * never mix: each has its own weights, batch and loss; on webgpu, @learnability/backends guards
 * the batched matMul of tfjs-backend-webgpu 4.22, which let a NaN in one batch reach another).
 */
export class ReplicaFreeze {
  /** Per replica: the evaluation step at which it was found diverged, or null. */
  readonly divergedAtStep: (number | null)[];
  /** Params and slots at the last evaluation (prefixed `p:` / `s:`), each replica's slice finite. */
  private snapshot: Record<string, tf.Tensor>;
  /** (R,) bool: true for frozen replicas; null while none is. */
  private frozen: tf.Tensor | null = null;

  /** Takes a copy of `state` as the first finite snapshot; `divergedAtStep` from a checkpoint, if resuming. */
  constructor(state: TrainerState, divergedAtStep?: (number | null)[]) {
    const R = Object.values(state.params)[0]?.shape[0] ?? 1;
    this.divergedAtStep = divergedAtStep ? [...divergedAtStep] : new Array<number | null>(R).fill(null);
    this.snapshot = copyState(state);
    this.updateMask();
  }

  get anyFrozen(): boolean {
    return this.frozen !== null;
  }

  get allDiverged(): boolean {
    return this.divergedAtStep.every((s) => s !== null);
  }

  isFrozen(r: number): boolean {
    return this.divergedAtStep[r] !== null && this.divergedAtStep[r] !== undefined;
  }

  /**
   * At an evaluation: a replica whose mean loss or ‖θ − θ₀‖ is not finite has diverged. Marks
   * the new ones (returns their indices) and, if there are any, freezes them in `state`.
   */
  detect(
    state: TrainerState,
    losses: number[],
    distances: number[],
    step: number,
  ): { state: TrainerState; diverged: number[] } {
    const diverged: number[] = [];
    this.divergedAtStep.forEach((at, r) => {
      if (at === null && (!Number.isFinite(losses[r] ?? Number.NaN) || !Number.isFinite(distances[r] ?? Number.NaN))) {
        this.divergedAtStep[r] = step;
        diverged.push(r);
      }
    });
    if (diverged.length === 0) return { state, diverged };
    this.updateMask();
    return { state: this.apply(state), diverged };
  }

  /** Puts frozen replicas' slices of `state` back to the snapshot; takes ownership of `state`'s tensors. */
  apply(state: TrainerState): TrainerState {
    const mask = this.frozen;
    if (mask === null) return state;
    const restore = (prefix: string, group: Record<string, tf.Tensor>) =>
      Object.fromEntries(
        Object.entries(group).map(([name, t]) => {
          const saved = this.snapshot[prefix + name];
          if (saved === undefined) return [name, t];
          // where, not a blend: 0 · NaN is NaN. As (R, rest) with the mask (R, 1): webgpu's where
          // takes rank ≤ 4, and the RCNN's weights are rank 5.
          const R = mask.shape[0] as number;
          const kept = tf.tidy(() =>
            tf.reshape(
              tf.where(tf.reshape(mask, [R, 1]), tf.reshape(saved, [R, t.size / R]), tf.reshape(t, [R, t.size / R])),
              t.shape,
            ),
          );
          t.dispose();
          return [name, kept];
        }),
      );
    return { ...state, params: restore('p:', state.params), slots: restore('s:', state.slots) };
  }

  /** At an evaluation after `detect`: `state` is finite on every active replica; keep it as the snapshot. */
  remember(state: TrainerState): void {
    tf.dispose(Object.values(this.snapshot));
    this.snapshot = copyState(state);
  }

  dispose(): void {
    tf.dispose(Object.values(this.snapshot));
    this.frozen?.dispose();
    this.frozen = null;
  }

  private updateMask(): void {
    this.frozen?.dispose();
    const flags = this.divergedAtStep.map((s) => s !== null);
    this.frozen = flags.some(Boolean) ? tf.tensor1d(flags, 'bool') : null;
  }
}

/** A copy of every param and slot (tensors are immutable, so `clone` shares the data). */
function copyState(state: TrainerState): Record<string, tf.Tensor> {
  return {
    ...Object.fromEntries(Object.entries(state.params).map(([k, t]) => [`p:${k}`, t.clone()])),
    ...Object.fromEntries(Object.entries(state.slots).map(([k, t]) => [`s:${k}`, t.clone()])),
  };
}

/** "3/4 learned, replica 2 diverged at step 1,080 (lr too high?)": the summary's line for partly diverged runs. */
export function describeReplicaOutcome(learnedAtStep: (number | null)[], divergedAtStep: (number | null)[]): string {
  const R = learnedAtStep.length;
  const learned = learnedAtStep.filter((s) => s !== null).length;
  const diverged = divergedAtStep.flatMap((s, r) =>
    s === null ? [] : [`replica ${r} diverged at step ${s.toLocaleString('en-US')}`],
  );
  return [`${learned}/${R} learned`, ...diverged].join(', ') + (diverged.length ? ' (lr too high?)' : '');
}
