/** A model's loss gradient, for tests that compare two ways of computing the same model. */
import * as tf from '@tensorflow/tfjs-core';
import type { Model, Params } from '../contracts.js';

/**
 * The mean squared error of `model` on (x, target) and its gradient for every parameter, in the
 * order of `names` (`Object.keys(params)`). The caller owns the returned tensors.
 */
export function lossGradients(
  model: Model,
  params: Params,
  x: tf.Tensor,
  target: tf.Tensor,
): { names: string[]; value: tf.Scalar; grads: tf.Tensor[] } {
  const names = Object.keys(params);
  const { value, grads } = tf.valueAndGrads((...ps: tf.Tensor[]) => {
    const p = Object.fromEntries(names.map((n, i) => [n, ps[i] as tf.Tensor]));
    return tf.mean(tf.square(tf.sub(model.apply(p, x), target))) as tf.Scalar;
  })(names.map((n) => params[n] as tf.Tensor));
  return { names, value, grads };
}
