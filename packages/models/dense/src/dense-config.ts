import { defineSchema } from '@learnability/core';
import type { OptionsOf } from '@learnability/core';
import { ACTIVATIONS } from './activations.js';

/**
 * A dense model's options, each with its default written once.
 * - `parameterization`: `standard` is z = aW + b with W ~ N(0, 1/fan_in); `ntk` is
 *   z = aW/√fan_in + b with W ~ N(0, 1) (Jacot et al. 2018): the same function at init, O(1)
 *   learning rates (Boopathy & Fiete 2022).
 * - `init` (standard parameterisation only): `gaussian` is W ~ N(0, 1/fan_in) with biases as
 *   `bias` says, the INAL theorem's i.i.d. setting (Abbe et al. 2022); `torch-linear` is W and
 *   b ~ U(±1/√fan_in), as PyTorch's `nn.Linear.reset_parameters` (kaiming_uniform with a = √5
 *   gives the same bound), what Barak et al. 2022 trained from.
 */
export const DENSE_SCHEMA = defineSchema(
  {
    widths: { type: 'int[]', default: [1000], min: 1, doc: 'hidden layer widths', why: "Barak et al. 2022's width" },
    activation: {
      type: 'enum',
      values: ACTIVATIONS,
      default: 'relu',
      doc: 'hidden nonlinearity (poly: Σ_{j≤degree} x^j/j!)',
    },
    degree: { type: 'int', default: 3, min: 1, max: 12, doc: 'degree of the poly activation' },
    parameterization: {
      type: 'enum',
      values: ['standard', 'ntk'],
      default: 'standard',
      doc: 'standard: W~N(0,1/fan_in); ntk: W~N(0,1), output /√fan_in',
    },
    init: {
      type: 'enum',
      values: ['gaussian', 'torch-linear'],
      default: 'gaussian',
      doc: "gaussian: W~N(0,1/fan_in), biases per `bias`; torch-linear: W and b ~U(±1/√fan_in), PyTorch nn.Linear's default (standard parameterization only)",
    },
    bias: {
      type: 'enum',
      values: ['zero', 'fan-in', 'unit'],
      default: 'zero',
      doc: 'bias init under init gaussian: 0, N(0,1/fan_in) or N(0,1)',
    },
  },
  [
    {
      paths: ['init', 'parameterization'],
      test: (o) => o.init === 'gaussian' || o.parameterization === 'standard',
      message: () => '"torch-linear" needs parameterization "standard"; the NTK parameterisation keeps W ~ N(0, 1)',
    },
    {
      paths: ['bias', 'init'],
      test: (o) => o.init === 'gaussian' || o.bias === 'zero',
      message: (o) =>
        `"${o.bias}" applies to init "gaussian" only; torch-linear draws biases U(±1/√fan_in); drop bias or use init "gaussian"`,
    },
  ],
);

export type DenseOptions = OptionsOf<typeof DENSE_SCHEMA.fields>;
export type Parameterization = DenseOptions['parameterization'];
export type DenseInit = DenseOptions['init'];
export type BiasInit = DenseOptions['bias'];

/** An MLP x → [hidden widths] → outputSize, trained as R replicas at once; options not given take their defaults. */
export interface DenseConfig extends Partial<DenseOptions> {
  /** Input features n (set from the task). */
  inputSize: number;
  /** Outputs (set from the task). Default 1. */
  outputSize?: number;
  /** Independent networks trained as one batched program. Default 1. */
  replicas?: number;
}

export type ResolvedDenseConfig = Required<DenseConfig>;
