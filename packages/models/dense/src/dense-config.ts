import type { Activation } from './activations.js';

/** How weights are scaled (Jacot et al. 2018 for `ntk`). */
export type Parameterization = 'standard' | 'ntk';

/** How biases start under `init: 'gaussian'`: zero, N(0, 1/fan_in), or N(0, 1). */
export type BiasInit = 'zero' | 'fan-in' | 'unit';

/**
 * How a standard-parameterised layer starts.
 * - `gaussian`: W ~ N(0, 1/fan_in), biases as `bias` says (zero by default); the INAL theorem's
 *   i.i.d. variance-1/fan_in setting (Abbe et al. 2022).
 * - `torch-linear`: W and b ~ U(−1/√fan_in, 1/√fan_in), as PyTorch's `nn.Linear.reset_parameters`
 *   (kaiming_uniform with a = √5 gives the same bound); what Barak et al. 2022 trained from.
 */
export type DenseInit = 'gaussian' | 'torch-linear';

/** An MLP x → [hidden widths] → outputSize, trained as R replicas at once. */
export interface DenseConfig {
  /** Input features n (set from the task). */
  inputSize: number;
  /** Outputs (set from the task). Default 1. */
  outputSize?: number;
  /** Hidden layer widths. Default [1000] (Barak et al. 2022's width). */
  widths?: number[];
  /** Hidden nonlinearity. Default 'relu'. */
  activation?: Activation;
  /** Degree of the `poly` activation. Default 3. */
  degree?: number;
  /**
   * `standard`: W ~ N(0, 1/fan_in), z = aW + b. `ntk`: W ~ N(0, 1), z = aW/√fan_in + b
   * (same function at init, O(1) learning rates; Boopathy & Fiete 2022). Default 'standard'.
   */
  parameterization?: Parameterization;
  /** Weight and bias initialisation (standard parameterisation only; `ntk` keeps W ~ N(0, 1)). Default 'gaussian'. */
  init?: DenseInit;
  /** Bias initialisation under `init: 'gaussian'` (`torch-linear` draws its own). Default 'zero'. */
  bias?: BiasInit;
  /** Independent networks trained as one batched program. Default 1. */
  replicas?: number;
}

export type ResolvedDenseConfig = Required<DenseConfig>;

export const DENSE_DEFAULTS: Omit<ResolvedDenseConfig, 'inputSize'> = {
  outputSize: 1,
  widths: [1000],
  activation: 'relu',
  degree: 3,
  parameterization: 'standard',
  init: 'gaussian',
  bias: 'zero',
  replicas: 1,
};
