import * as tf from '@tensorflow/tfjs-core';
import { assert, assertInt } from '@learnability/core';
import type { Params } from '@learnability/core';
import { valueAndGradsByName } from '@learnability/sgd';
import type { LoopedLike } from './looped-like.js';

/** How one training step unrolls the model. */
export interface LoopPlan {
  /** Loop iterations b this step runs. */
  loops: number;
  /** The last T ≤ b iterations carry gradient; the loss averages their predictions. */
  lossLoops: number;
  /** In-context points used (interleaved prompts: the first 2·points tokens); null: the whole prompt. */
  points: number | null;
}

/**
 * The prompt prefix a plan trains on: x (R, B, 2P, d) → (R, B, 2p, d), y (R, B, P) → (R, B, p).
 * Causal attention makes the prefix's predictions exactly the full prompt's first p predictions.
 */
export function promptPrefix(
  model: LoopedLike,
  x: tf.Tensor,
  y: tf.Tensor,
  points: number | null,
): { x: tf.Tensor; y: tf.Tensor } {
  if (points === null || model.config.readout !== 'interleaved' || points >= (y.shape[2] as number))
    return { x: x.clone(), y: y.clone() };
  const [R, B, , d] = x.shape as [number, number, number, number];
  return { x: tf.slice(x, [0, 0, 0, 0], [R, B, 2 * points, d]), y: tf.slice(y, [0, 0, 0], [R, B, points]) };
}

/**
 * Yang et al. 2023's truncated loop loss and its gradient (docs/papers.md §5): the first b − T
 * iterations run outside the gradient tape (their output enters as a constant, so no gradient
 * reaches them), then L = (1/T) Σ_{t=b−T+1}^{b} mean_{B, positions} (ŷ_t − y)², per replica (R,).
 * The read-in P is recomputed inside the tape, so it gets gradient through the last T injections.
 * Returns the (R,) loss and the gradient of Σ_r L_r per parameter; the caller owns them.
 */
export function loopedLossAndGrads(
  model: LoopedLike,
  params: Params,
  x: tf.Tensor,
  y: tf.Tensor,
  plan: LoopPlan,
): { loss: tf.Tensor; grads: Params } {
  assertInt('loopedLoss: loops', plan.loops, 1);
  assertInt('loopedLoss: lossLoops', plan.lossLoops, 1, plan.loops);
  // Prompts (R, B, T, d): without the replica axis (a Task.sample batch) B would be read off T below.
  assert(
    x.rank === 4 && x.shape[0] === model.replicas,
    () =>
      `loopedLoss: prompts must be (R, B, T, d) with R = ${model.replicas}, but got [${x.shape.join(', ')}]${x.rank === 3 ? '; a Task.sample batch has no replica axis: give tf.expandDims(x, 0) and tf.expandDims(y, 0) for one replica' : ''}`,
  );
  // Prompts of the model's width, and whole for the interleaved readout (one target per x token):
  // one of another shape failed inside the gradient tape, keeping its tensors. A last-token model
  // reads any prompt of at most its tokens.
  const [tokens, width] = model.inputShape as [number, number];
  const T = x.shape[2] as number;
  const whole = model.config.readout === 'interleaved';
  assert(
    x.shape[3] === width && (whole ? T === tokens : T >= 1 && T <= tokens),
    () =>
      `loopedLoss: prompts must be (R, B, T, d) with ${whole ? `T = ${tokens}` : `T ≤ ${tokens}`} and d = ${width} (the model's tokens and tokenSize), but got [${x.shape.join(', ')}]`,
  );
  // Checked, not broadcast: a (R, B, 1) target against (R, B, outputs) predictions would train every output to it.
  const want = [model.replicas, x.shape[1] as number, model.outputSize];
  assert(
    tf.util.arraysEqual(y.shape, want),
    () =>
      `loopedLoss: targets must be (R, B, outputs) = [${want.join(', ')}], but got [${y.shape.join(', ')}]; give one target per read-out position of each prompt`,
  );
  return tf.tidy(() => {
    const prefix = promptPrefix(model, x, y, plan.points);
    // Iterations 1..b−T without gradient: computed before the tape starts.
    const start = tf.tidy(() => {
      const p = model.embed(params, prefix.x);
      let state: tf.Tensor = tf.zerosLike(p);
      for (let t = 0; t < plan.loops - plan.lossLoops; t++) state = model.iterate(params, state, p);
      return state;
    });
    const f = (p: Params): tf.Tensor => {
      const injected = model.embed(p, prefix.x);
      let state = start;
      let total: tf.Tensor = tf.zeros([model.replicas]);
      for (let t = 0; t < plan.lossLoops; t++) {
        state = model.iterate(p, state, injected);
        const err = tf.square(tf.sub(model.readout(p, state), prefix.y)); // (R, B, p)
        total = tf.add(total, tf.mean(tf.reshape(err, [model.replicas, -1]), 1));
      }
      return tf.div(total, plan.lossLoops);
    };
    return valueAndGradsByName(f, params);
  });
}
