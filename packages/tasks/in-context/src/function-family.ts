/**
 * The function classes of Garg et al. 2022 that Yang et al. 2023 train on (docs/papers.md §5). Each
 * prompt draws its own function f from the class; x ~ N(0, I_d).
 */
export type FunctionFamily =
  | 'linear-regression'
  | 'noisy-linear-regression'
  | 'sparse-linear-regression'
  | 'decision-tree'
  | 'relu-net';

export const FUNCTION_FAMILIES: readonly FunctionFamily[] = [
  'linear-regression',
  'noisy-linear-regression',
  'sparse-linear-regression',
  'decision-tree',
  'relu-net',
];

/** A drawn function: f(x) for x read from `x` at `offset` (d entries). */
export type PromptFunction = (x: Float32Array, offset: number) => number;
