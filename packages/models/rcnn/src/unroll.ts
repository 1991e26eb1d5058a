/**
 * T applications of the one recurrent step, plain or with gradient checkpointing.
 *
 * Checkpointing (Chen, Xu, Zhang, Guestrin 2016, "Training deep nets with sublinear memory
 * cost"): the unroll is cut into segments of `every` steps; each segment is one `tf.customGrad`
 * op whose forward pass records nothing, and whose backward pass recomputes the segment's steps
 * from the state saved at its start and back-propagates through them. The tape then holds one
 * state per segment plus one segment's intermediates: memory ∝ T/every + every instead of T,
 * for about one extra forward pass of compute. every = ⌈√T⌉ gives O(√T).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GradSaveFunc } from '@tensorflow/tfjs-core';
import { assert, assertInt, showValue, tapeRecording } from '@learnability/core';
import { RCNN_SCHEMA } from './rcnn-config.js';
import type { RcnnUpdate } from './rcnn-config.js';
import { fusedUnroll, unrollKernelsReady } from './fused-unroll.js';
import { injection, recurrentStep, splitFilter } from './step.js';
import type { SplitFilter } from './step.js';

export interface UnrollOptions {
  update: RcnnUpdate;
  /** Steps T. */
  depth: number;
  /** Steps per checkpointed segment; 0 = plain unroll (the tape keeps every step). */
  checkpointEvery: number;
}

/** The shared weights of the unroll: the one filter (R, k, k, 2C, G·C) and its bias (R, 1, G·C). */
export interface UnrollWeights {
  convW: tf.Tensor;
  convB: tf.Tensor;
}

/** `count` steps from s, reading the state's filter as `weights` (which the gradient reaches). */
type Steps = (s: tf.Tensor4D, inj: tf.Tensor4D, weights: readonly tf.Tensor[], count: number) => tf.Tensor4D;

/**
 * How the unroll steps: gated steps of float32 with the fused kernels on the backend (wasm or
 * webgpu with `RCNN_KERNELS`) are one kernel each way for the whole run, reading W_s of every replica as one
 * tensor; otherwise the ops of step.ts, step by step, with one filter per replica.
 */
function stepsRule(update: RcnnUpdate, depth: number, filters: SplitFilter): { weights: tf.Tensor[]; run: Steps } {
  const C = filters.stateWeights.shape[3] as number;
  if (update === 'gated' && filters.stateWeights.dtype === 'float32' && unrollKernelsReady(C))
    return { weights: [filters.stateWeights], run: (s, inj, [w], count) => fusedUnroll(s, inj, w as tf.Tensor, count) };
  return {
    weights: filters.state,
    run: (s, inj, ws, count) => runSteps(update, depth, count, s, inj, ws as tf.Tensor4D[]),
  };
}

/**
 * `steps` steps of TF.js ops from s; the state after each is freed as soon as the next exists.
 * s (R·B, H, W, C), inj (R·B, H, W, G·C), stateFilters R × (k, k, C, G·C) → (R·B, H, W, C)
 */
function runSteps(
  update: RcnnUpdate,
  depth: number,
  steps: number,
  s: tf.Tensor4D,
  inj: tf.Tensor4D,
  stateFilters: readonly tf.Tensor4D[],
): tf.Tensor4D {
  let state = s;
  for (let t = 0; t < steps; t++) {
    const { preActivation, state: next } = recurrentStep(update, depth, state, inj, stateFilters);
    preActivation.dispose();
    if (state !== s) state.dispose();
    state = next;
  }
  return state === s ? s.clone() : state;
}

/**
 * Gradients of y = f(...xs) against dy, from inside another backward pass. TF.js 4.22's
 * `engine.gradients` starts a fresh global tape when called at gradient depth 0 (which is where a
 * backward pass runs) and sets it to null when done; the outer pass then fails when it frees its
 * own saved tensors. Restoring the outer tape afterwards makes the nested call safe, and the
 * inner call frees its own intermediates as it returns — which is what bounds the memory.
 */
function nestedGrads(f: (...xs: tf.Tensor[]) => tf.Tensor, xs: tf.Tensor[], dy: tf.Tensor): tf.Tensor[] {
  const state = tf.engine().state;
  const outer = state.activeTape;
  try {
    return tf.grads(f)(xs, dy);
  } finally {
    state.activeTape = outer;
  }
}

/** One checkpointed segment as a single differentiable op of (s, inj, ...weights). */
function checkpointedSegment(
  steps: Steps,
  count: number,
): (s: tf.Tensor4D, inj: tf.Tensor4D, weights: readonly tf.Tensor[]) => tf.Tensor4D {
  // `count` steps of `steps` as a function of the tensors the gradient reaches.
  const run = (s: tf.Tensor, inj: tf.Tensor, ...ws: tf.Tensor[]) =>
    steps(s as tf.Tensor4D, inj as tf.Tensor4D, ws, count);
  const op = tf.customGrad((...args: (tf.Tensor | GradSaveFunc)[]) => {
    const save = args[args.length - 1] as GradSaveFunc;
    const inputs = args.slice(0, -1) as tf.Tensor[];
    // Only the inputs are kept for the backward pass (save does nothing when no tape records).
    save(inputs);
    return {
      value: run(...(inputs as [tf.Tensor, tf.Tensor, ...tf.Tensor[]])),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        nestedGrads((...xs) => run(...(xs as [tf.Tensor, tf.Tensor, ...tf.Tensor[]])), saved, dy),
    };
  });
  return (s, inj, ws) => op(s, inj, ...ws) as tf.Tensor4D;
}

/**
 * s_T from s_0 = 0: T steps of the same filter with e re-injected at each.
 * e (R·B, H, W, C) → (R·B, H, W, C)
 */
export function unroll(o: UnrollOptions, e: tf.Tensor4D, w: UnrollWeights): tf.Tensor4D {
  // From plain JS: checkpointEvery −1 looped for ever, a fraction or a misspelt update ran other steps.
  assert(
    RCNN_SCHEMA.fields.update.values.includes(o?.update),
    () => `unroll: update must be gated or residual, but got ${showValue(o?.update)}`,
  );
  assertInt('unroll: depth', o.depth, 1);
  assertInt('unroll: checkpointEvery', o.checkpointEvery, 0);
  return tf.tidy(() => {
    const filters = splitFilter(w.convW);
    const inj = injection(e, filters.input, w.convB); // (R·B, H, W, G·C), the same at every step
    const { weights, run } = stepsRule(o.update, o.depth, filters);
    const s0 = tf.zerosLike(e);
    if (o.checkpointEvery === 0) return run(s0, inj, weights, o.depth);
    // Without a tape (evaluation) no backward pass starts from a boundary again: each is freed once
    // the next exists, so a forward pass holds one state, not T/every of them.
    const free = !tapeRecording();
    let s = s0;
    for (let done = 0; done < o.depth; done += o.checkpointEvery) {
      const steps = Math.min(o.checkpointEvery, o.depth - done);
      const next = checkpointedSegment(run, steps)(s, inj, weights);
      if (free) s.dispose();
      s = next;
    }
    return s;
  });
}
