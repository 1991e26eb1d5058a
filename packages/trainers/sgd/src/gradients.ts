import * as tf from '@tensorflow/tfjs-core';
import type { Batch, Model, Params } from '@learnability/core';
import { checkBatch, checkLossName, uncheckedLoss } from './losses.js';
import type { LossName } from './losses.js';

/**
 * A per-replica loss f(θ) (R,) and the gradient of Σ_r f_r with respect to every parameter, by
 * name. Because replica r's loss depends only on replica r's slice, each slice of a gradient is
 * that replica's own gradient. The caller owns every returned tensor.
 */
export function valueAndGradsByName(
  f: (params: Params) => tf.Tensor,
  params: Params,
): { loss: tf.Tensor; grads: Params } {
  const names = Object.keys(params);
  const byName = (ts: tf.Tensor[]): Params => Object.fromEntries(names.map((n, i) => [n, ts[i] as tf.Tensor]));
  // dy defaults to ones(R): the gradient of the sum over replicas.
  const { value, grads } = tf.valueAndGrads((...ts: tf.Tensor[]) => f(byName(ts)))(Object.values(params));
  return { loss: value, grads: byName(grads) };
}

/** `valueAndGradsByName` of the model's per-replica `loss` on `batch`. */
export function lossAndGrads(model: Model, params: Params, batch: Batch, loss: LossName) {
  // Before the tape: an unknown name threw inside it, leaving the tape's tensors behind.
  checkLossName(loss);
  checkBatch(loss, model, batch);
  return valueAndGradsByName((p) => uncheckedLoss(loss, model.apply(p, batch.x), batch.y), params);
}
