import * as tf from '@tensorflow/tfjs-core';
import type { Batch, Model, Params } from '@learnability/core';
import { perReplicaLoss } from './losses.js';
import type { LossName } from './losses.js';

/**
 * Per-replica loss (R,) and the gradient of Σ_r loss_r with respect to every parameter.
 * Because replica r's loss depends only on replica r's slice, each slice of a gradient is that
 * replica's own gradient. The caller owns every returned tensor.
 */
export function lossAndGrads(
  model: Model,
  params: Params,
  batch: Batch,
  loss: LossName,
): { loss: tf.Tensor; grads: Params } {
  const names = Object.keys(params);
  const f = (...tensors: tf.Tensor[]): tf.Tensor => {
    const p: Params = {};
    names.forEach((name, i) => (p[name] = tensors[i] as tf.Tensor));
    return perReplicaLoss(loss, model.apply(p, batch.x), batch.y);
  };
  // dy defaults to ones(R): the gradient of the sum over replicas.
  const { value, grads } = tf.valueAndGrads(f)(names.map((n) => params[n] as tf.Tensor));
  const byName: Params = {};
  names.forEach((name, i) => (byName[name] = grads[i] as tf.Tensor));
  return { loss: value, grads: byName };
}
