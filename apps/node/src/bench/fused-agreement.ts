import * as tf from '@tensorflow/tfjs-core';
import { replicaRngs } from '@learnability/core';
import type { TrainerState } from '@learnability/core';
import { ReplicaSampler } from '@learnability/experiment';
import { resolveCase, withoutFusedSteps } from './train-bench.js';
import type { TrainCase } from './train-bench.js';

/** How far the trainer's fused step drifts from the generic TF.js step on the same batches. */
export interface FusedAgreement {
  /** `describeStep` of the trainer as it runs here, and with the model's fused step turned off. */
  fused: string;
  generic: string;
  steps: number;
  /** max |θ_fused − θ_generic| over every parameter after `steps` steps. */
  maxParamDiff: number;
  /** max |θ| of the generic run's parameters (the scale the difference is read against). */
  maxParam: number;
  /** max over steps of |loss_fused − loss_generic|, and of |loss_generic|. */
  maxLossDiff: number;
  maxLoss: number;
  /**
   * What `agrees` reads: 'parameters' (SGD): maxParamDiff ≤ 1e-4 · max(1, maxParam), where float32
   * reordering stays far below and a wrong gradient term does not. 'losses' (Adam):
   * maxLossDiff ≤ 1e-4 · max(1, maxLoss), because Adam divides a gradient by its own size: a
   * parameter whose exact gradient is 0 (a transformer's key bias: softmax ignores a constant
   * added to every score) moves by up to lr a step on rounding noise, differently in each path.
   */
  criterion: 'parameters' | 'losses';
  agrees: boolean;
}

/**
 * Trains the case twice from the same initial parameters on the same batches, once with the step
 * the trainer picks here and once with the model's fused step removed, and compares. Null when
 * the trainer does not take a fused step on this backend (nothing to compare).
 */
export async function fusedAgreement(c: TrainCase, steps: number): Promise<FusedAgreement | null> {
  const a = resolveCase(c, 1);
  const b = resolveCase(c, 1);
  let fused: TrainerState = a.trainer.init(a.model, a.model.init(replicaRngs(0, 1)));
  let generic: TrainerState = b.trainer.init(withoutFusedSteps(b.model), b.model.init(replicaRngs(0, 1)));
  const how = { fused: a.trainer.describeStep?.() ?? 'not said', generic: b.trainer.describeStep?.() ?? 'not said' };
  if (!how.fused.startsWith('fused')) {
    a.trainer.dispose(fused);
    b.trainer.dispose(generic);
    return null;
  }
  const sampler = new ReplicaSampler(a.task, replicaRngs(0, 1), a.config.run.batchSize, null);
  let maxLossDiff = 0;
  let maxLoss = 0;
  for (let i = 0; i < steps; i++) {
    const batch = sampler.next(i + 1);
    const ra = a.trainer.step(fused, batch);
    const rb = b.trainer.step(generic, batch);
    fused = ra.state;
    generic = rb.state;
    const [la, lb] = await Promise.all([ra.loss.data(), rb.loss.data()]);
    maxLossDiff = Math.max(maxLossDiff, Math.abs((la[0] as number) - (lb[0] as number)));
    maxLoss = Math.max(maxLoss, Math.abs(lb[0] as number));
    tf.dispose([ra.loss, rb.loss, batch.x, batch.y]);
  }
  let maxParamDiff = 0;
  let maxParam = 0;
  for (const [name, p] of Object.entries(generic.params)) {
    const q = fused.params[name];
    if (!q) throw new Error(`bench gpu: the fused step dropped parameter "${name}"`);
    const [d, m] = tf.tidy(() => [tf.max(tf.abs(tf.sub(p, q))), tf.max(tf.abs(p))]) as [tf.Tensor, tf.Tensor];
    maxParamDiff = Math.max(maxParamDiff, (await d.data())[0] as number);
    maxParam = Math.max(maxParam, (await m.data())[0] as number);
    tf.dispose([d, m]);
  }
  a.trainer.dispose(fused);
  b.trainer.dispose(generic);
  const criterion = b.model.fusedSgdStep ? 'parameters' : 'losses';
  const agrees =
    criterion === 'parameters'
      ? maxParamDiff <= 1e-4 * Math.max(1, maxParam)
      : maxLossDiff <= 1e-4 * Math.max(1, maxLoss);
  return { ...how, steps, maxParamDiff, maxParam, maxLossDiff, maxLoss, criterion, agrees };
}
