import * as tf from '@tensorflow/tfjs-core';
import { LearnabilityError } from '@learnability/core';
import type { SavedTrainerState, TrainerState } from '@learnability/core';

/** Frees every tensor of a trainer state. */
export function disposeState(state: TrainerState): void {
  tf.dispose(Object.values(state.params));
  tf.dispose(Object.values(state.slots));
}

/** `Trainer.saveState` for a state that is all in `params` and `slots`: its own tensors, not copies. */
export const saveState = (state: TrainerState): SavedTrainerState => ({
  step: state.step,
  params: state.params,
  slots: state.slots,
});

/**
 * Checks a saved state against the slots a trainer expects (name → full shape, replica axis first) and
 * gives it back as a state. On a mismatch it throws one error listing every problem as
 * `<trainer>.restoreState: slots.<name>: …`; the saved tensors are then left to the caller.
 */
export function restoreChecked(
  trainer: string,
  saved: SavedTrainerState,
  expected: Record<string, readonly number[]>,
): TrainerState {
  const problems: string[] = [];
  const at = (name: string) => `${trainer}.restoreState: slots.${name}`;
  if (!Number.isInteger(saved.step) || saved.step < 0)
    problems.push(`${trainer}.restoreState: step must be an integer ≥ 0, but got ${saved.step}`);
  for (const [name, shape] of Object.entries(expected)) {
    const t = saved.slots[name];
    if (t === undefined) problems.push(`${at(name)}: missing (the checkpoint is from another trainer or config)`);
    else if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i]))
      problems.push(`${at(name)}: expected shape [${shape.join(', ')}], but got [${t.shape.join(', ')}]`);
  }
  for (const name of Object.keys(saved.slots))
    if (!(name in expected))
      problems.push(`${at(name)}: not a slot of this trainer (the checkpoint is from another trainer or config)`);
  if (problems.length > 0) throw new LearnabilityError(problems.join('\n'));
  return { params: saved.params, slots: saved.slots, step: saved.step };
}
