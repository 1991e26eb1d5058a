/** How biases start: zero, N(0, 1/fan_in), or N(0, 1) (the same choices as `@learnability/dense`). */
export type RnnBiasInit = 'zero' | 'fan-in' | 'unit';

/**
 * A ReLU RNN in NTK parameterisation (Boopathy & Fiete 2022, PAPERS.md §4), trained as R replicas:
 *
 *   h_t = relu(W_ih x_t / √d + W_hh h_{t−1} / √n + b_h),   h_{−1} = 0
 *   o_t = W_ho h_t / √n + b_o
 *
 * with every weight N(0, 1). The paper's add task has d = 1, where this is their form exactly.
 */
export interface RnnConfig {
  /** Features per time step d (set from the task). */
  inputSize: number;
  /** Time steps T (set from the task). */
  steps: number;
  /** Outputs per time step (set from the task). Default 1. */
  outputSize?: number;
  /** Hidden units n. Default 256. */
  width?: number;
  /**
   * Bias initialisation of b_h and b_o. With NTK weights, N(0, 1) biases dominate the initial
   * kernel and cap the stable learning rate (PAPERS.md §4). Default 'zero'.
   */
  bias?: RnnBiasInit;
  /** Independent networks trained as one batched program. Default 1. */
  replicas?: number;
}

export type ResolvedRnnConfig = Required<RnnConfig>;

export const RNN_DEFAULTS: Omit<ResolvedRnnConfig, 'inputSize' | 'steps'> = {
  outputSize: 1,
  width: 256,
  bias: 'zero',
  replicas: 1,
};
