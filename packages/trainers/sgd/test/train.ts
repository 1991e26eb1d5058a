/** The tests' training loop: a trainer's steps from a model's θ₀ on given batches. */
import type * as tf from '@tensorflow/tfjs-core';
import { replicaRngs } from '@learnability/core';
import type { Batch, Model, Trainer, TrainerState } from '@learnability/core';

/** Trains from the model's θ₀ (seed 7), one step a batch; returns the final state and every step's (R,) loss. */
export function train(trainer: Trainer, model: Model, batches: Batch[]): { state: TrainerState; losses: tf.Tensor[] } {
  let state = trainer.init(model, model.init(replicaRngs(7, model.replicas)));
  const losses: tf.Tensor[] = [];
  for (const b of batches) {
    const r = trainer.step(state, b);
    state = r.state;
    losses.push(r.loss);
  }
  return { state, losses };
}
