import { assert, assertConfigObject, assertInt, showValue, unknownKeyMessage } from '@learnability/core';
import type { InContextLearner } from './learner.js';
import { checkPredictArgs, dotRow } from './learner.js';

/** Lasso by cyclic coordinate descent. */
export interface LassoConfig {
  /** α in (1/(2k))‖y − Xw‖² + α‖w‖₁ (scikit-learn's scaling, no intercept). Default 0.01. */
  alpha?: number;
  /** Sweeps over the coordinates at most. Default 1000. */
  maxSweeps?: number;
  /** Stop when no coordinate moved more than this in a sweep. Default 1e-8. */
  tolerance?: number;
}

const LASSO_OPTIONS: readonly string[] = ['alpha', 'maxSweeps', 'tolerance'];

const soft = (z: number, t: number) => (z > t ? z - t : z < -t ? z + t : 0);

/**
 * The Lasso (Tibshirani 1996), the sparse linear regression baseline of Garg et al. 2022 and
 * Yang et al. 2023: coordinate descent w_j ← S(⟨x_j, r + x_j w_j⟩/k, α) / (‖x_j‖²/k).
 */
export function createLasso(config: LassoConfig = {}): InContextLearner {
  assertConfigObject('lasso', config, '{ alpha: 0.01 }');
  // A misspelt option (`lambda` for alpha) was ignored, and the default penalty used.
  for (const key of Object.keys(config))
    assert(LASSO_OPTIONS.includes(key), () => `lasso: ${unknownKeyMessage(key, LASSO_OPTIONS)}`);
  const { alpha = 0.01, maxSweeps = 1000, tolerance = 1e-8 } = config;
  // A string passed `>= 0` and changed the fit silently ('0.1' - x is a number, '0.1' + x is not).
  for (const [name, value] of [
    ['alpha', alpha],
    ['tolerance', tolerance],
  ] as const)
    assert(
      typeof value === 'number' && Number.isFinite(value) && value >= 0,
      () => `lasso.${name} must be a finite number ≥ 0, but got ${showValue(value)}`,
    );
  assertInt('lasso.maxSweeps', maxSweeps, 1);
  return {
    name: 'lasso',
    predict(xs, ys, k, query, dims) {
      checkPredictArgs('lasso', xs, ys, k, query, dims);
      if (k === 0) return 0;
      const w = new Float64Array(dims);
      const residual = Float64Array.from(ys.subarray(0, k)); // r = y − Xw
      const norms = new Float64Array(dims);
      for (let i = 0; i < k; i++)
        for (let j = 0; j < dims; j++) norms[j] = (norms[j] as number) + (xs[i * dims + j] as number) ** 2 / k;
      for (let sweep = 0; sweep < maxSweeps; sweep++) {
        let moved = 0;
        for (let j = 0; j < dims; j++) {
          if ((norms[j] as number) === 0) continue;
          const old = w[j] as number;
          let rho = 0;
          for (let i = 0; i < k; i++)
            rho += (xs[i * dims + j] as number) * ((residual[i] as number) + (xs[i * dims + j] as number) * old);
          const next = soft(rho / k, alpha) / (norms[j] as number);
          if (next !== old) {
            for (let i = 0; i < k; i++)
              residual[i] = (residual[i] as number) - (xs[i * dims + j] as number) * (next - old);
            moved = Math.max(moved, Math.abs(next - old));
            w[j] = next;
          }
        }
        if (moved <= tolerance) break;
      }
      return dotRow(w, query, 0, dims);
    },
    describe: () => ({ name: 'lasso', alpha, maxSweeps, tolerance }),
  };
}
