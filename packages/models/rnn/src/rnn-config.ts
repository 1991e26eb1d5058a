import { defineSchema } from '@learnability/core';
import type { OptionsOf } from '@learnability/core';

/** The RNN's options, each with its default written once. */
export const RNN_SCHEMA = defineSchema({
  width: { type: 'int', default: 256, min: 1, doc: 'hidden units n' },
  bias: {
    type: 'enum',
    values: ['zero', 'fan-in', 'unit'],
    default: 'zero',
    doc: 'bias init: 0, N(0,1/fan_in) or N(0,1) (N(0,1) dominates the NTK kernel)',
    why: 'with NTK weights, N(0, 1) biases dominate the initial kernel and cap the stable learning rate (docs/papers.md §4)',
  },
});

export type RnnOptions = OptionsOf<typeof RNN_SCHEMA.fields>;

/** How biases b_h and b_o start: zero, N(0, 1/fan_in), or N(0, 1) (the same choices as `@learnability/dense`). */
export type RnnBiasInit = RnnOptions['bias'];

/**
 * A ReLU RNN in NTK parameterisation (Boopathy & Fiete 2022, docs/papers.md §4), trained as R replicas:
 *
 *   h_t = relu(W_ih x_t / √d + W_hh h_{t−1} / √n + b_h),   h_{−1} = 0
 *   o_t = W_ho h_t / √n + b_o
 *
 * with every weight N(0, 1). The paper's add task has d = 1, where this is their form exactly.
 * Options not given take their defaults.
 */
export interface RnnConfig extends Partial<RnnOptions> {
  /** Features per time step d (set from the task). */
  inputSize: number;
  /** Time steps T (set from the task). */
  steps: number;
  /** Outputs per time step (set from the task). Default 1. */
  outputSize?: number;
  /** Independent networks trained as one batched program. Default 1. */
  replicas?: number;
}

export type ResolvedRnnConfig = Required<RnnConfig>;
