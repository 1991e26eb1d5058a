import * as tf from '@tensorflow/tfjs-core';
import { replicaRngs } from '@learnability/core';
import type { TrainerState } from '@learnability/core';
import { ReplicaSampler } from '@learnability/experiment';
import { resolveCase } from './train-bench.js';
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
  /** max over steps of |loss_fused − loss_generic|. */
  maxLossDiff: number;
  /** maxParamDiff ≤ 1e-4 · max(1, maxParam): float32 reordering stays far below it; a wrong gradient term does not. */
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
  let generic: TrainerState = b.trainer.init({ ...b.model, fusedSgdStep: undefined }, b.model.init(replicaRngs(0, 1)));
  const how = { fused: a.trainer.describeStep?.() ?? 'not said', generic: b.trainer.describeStep?.() ?? 'not said' };
  if (!how.fused.startsWith('fused')) {
    a.trainer.dispose(fused);
    b.trainer.dispose(generic);
    return null;
  }
  const sampler = new ReplicaSampler(a.task, replicaRngs(0, 1), a.config.run.batchSize, null);
  let maxLossDiff = 0;
  for (let i = 0; i < steps; i++) {
    const batch = sampler.next(i + 1);
    const ra = a.trainer.step(fused, batch);
    const rb = b.trainer.step(generic, batch);
    fused = ra.state;
    generic = rb.state;
    const [la, lb] = await Promise.all([ra.loss.data(), rb.loss.data()]);
    maxLossDiff = Math.max(maxLossDiff, Math.abs((la[0] as number) - (lb[0] as number)));
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
  return { ...how, steps, maxParamDiff, maxParam, maxLossDiff, agrees: maxParamDiff <= 1e-4 * Math.max(1, maxParam) };
}
