import * as tf from '@tensorflow/tfjs-core';
import { LearnabilityError } from '@learnability/core';
import type { Batch, Model } from '@learnability/core';

/**
 * A training loss by name, elementwise in prediction ŷ and target y (`perReplicaLoss` takes
 * each replica's mean):
 *
 * - `hinge`: max(0, 1 − yŷ) (Barak et al. 2022), y ∈ {±1}.
 * - `mse`: (ŷ − y)².
 * - `logistic`: log(1 + e^{−yŷ}), y ∈ {±1}, computed stably as softplus(−yŷ).
 * - `correlation`: −yŷ (the correlation loss of Abbe & Sandon 2020), y ∈ {±1}.
 */
export type LossName = 'hinge' | 'mse' | 'logistic' | 'correlation';

/** Every `LossName`, in the order a trainer's `loss` option lists them. */
export const LOSSES: readonly LossName[] = ['hinge', 'mse', 'logistic', 'correlation'];

/** The losses that read each target as a sign y ∈ {±1} (of y·ŷ): on real or one-hot targets they train towards nothing a task scores. */
export const SIGN_LOSSES: readonly LossName[] = ['hinge', 'logistic', 'correlation'];

/** A trainer's `targets` for its loss (core's `Trainer.targets`): `sign` for a sign loss, else any. */
export const targetsOf = (loss: LossName): { targets?: 'sign' } =>
  SIGN_LOSSES.includes(loss) ? { targets: 'sign' } : {};

/** The `loss` option of a trainer's schema, with that trainer's default. */
export const lossField = (fallback: LossName) =>
  ({ type: 'enum', values: LOSSES, default: fallback, doc: 'training loss' }) as const;

/** Throws, in one line, unless `name` is one of `LOSSES` (a loss named in plain JS, unchecked by the type). */
export function checkLossName(name: string): asserts name is LossName {
  if (!(LOSSES as readonly string[]).includes(name))
    throw new LearnabilityError(
      `loss: expected one of ${LOSSES.map((l) => `"${l}"`).join(', ')}, but got ${JSON.stringify(name)}`,
    );
}

/** Each loss elementwise, from prediction ŷ and target y. */
const ELEMENTWISE: Record<LossName, (prediction: tf.Tensor, target: tf.Tensor) => tf.Tensor> = {
  hinge: (prediction, target) => tf.relu(tf.sub(1, tf.mul(target, prediction))),
  mse: (prediction, target) => tf.square(tf.sub(prediction, target)),
  logistic: (prediction, target) => tf.softplus(tf.neg(tf.mul(target, prediction))),
  correlation: (prediction, target) => tf.neg(tf.mul(target, prediction)),
};

/**
 * The loss `name` of each replica: prediction ŷ and target y are (R, B, out); the result is (R,),
 * the mean over batch and outputs of each replica. Summing over replicas before differentiating
 * keeps replicas independent (replica r's parameters only touch term r). Throws a
 * `LearnabilityError` unless y has exactly ŷ's shape: it is checked, not broadcast.
 */
export function perReplicaLoss(name: LossName, prediction: tf.Tensor, target: tf.Tensor): tf.Tensor {
  checkLossName(name);
  checkTarget(name, prediction.shape, target);
  return uncheckedLoss(name, prediction, target);
}

/** `perReplicaLoss` for a caller that has checked the target's shape already (once per step, before the tape). */
export function uncheckedLoss(name: LossName, prediction: tf.Tensor, target: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const elementwise = ELEMENTWISE[name](prediction, target);
    return tf.mean(tf.reshape(elementwise, [elementwise.shape[0] as number, -1]), 1);
  });
}

/**
 * Throws, in one line, unless y has the predictions' shape `want` (R, B, out). Checked, not
 * broadcast: a (1, B) target against (1, B, 1) predictions would broadcast to (1, B, B) and
 * train every output towards every label, with no error.
 */
export function checkTarget(loss: string, want: readonly number[], y: tf.Tensor): void {
  if (!tf.util.arraysEqual(y.shape, want as number[]))
    throw new LearnabilityError(
      `${loss} loss: the batch's y must have the predictions' shape [${want.join(', ')}] (replicas, batch, outputs), but got [${y.shape.join(', ')}]; give y as (R, B, out), e.g. tf.expandDims(y, -1) for one output`,
    );
}

/**
 * Throws, in one line, unless the batch fits `model` and `loss`: x is (R, B, ...input) with the
 * model's R (a `Task.sample` batch has no replica axis), then y is (R, B, out). Checked before a
 * step's tape starts: a throw inside it would keep the forward pass's saved tensors.
 */
export function checkBatch(
  loss: string,
  model: Pick<Model, 'name' | 'replicas' | 'inputShape' | 'outputSize'>,
  batch: Batch,
): void {
  const { x } = batch;
  const rank = model.inputShape.length + 2;
  if (x.rank !== rank || x.shape[0] !== model.replicas) {
    const noReplicaAxis =
      x.rank === rank - 1
        ? '; a Task.sample batch has none: give tf.expandDims(x, 0) and tf.expandDims(y, 0) for one replica'
        : '';
    throw new LearnabilityError(
      `${model.name}: the batch's x must have shape [${[model.replicas, 'B', ...model.inputShape].join(', ')}] (replicas, batch, input), but got [${x.shape.join(', ')}]${noReplicaAxis}`,
    );
  }
  checkTarget(loss, [model.replicas, x.shape[1] as number, model.outputSize], batch.y);
}
