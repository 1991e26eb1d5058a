import type { InContextLearner } from './learner.js';
import { checkPredictArgs, dotRow } from './learner.js';
import { solveSymmetric } from './linear-solve.js';

/**
 * Minimum-norm least squares (Garg et al. 2022's baseline; `torch.linalg.lstsq`): with k ≥ d
 * examples w = (XᵀX)⁻¹Xᵀy; with k < d, w = Xᵀ(XXᵀ)⁻¹y, the interpolant of least norm. For
 * noiseless linear regression it is exact from k = d examples on.
 */
export function createLeastSquares(): InContextLearner {
  return {
    name: 'least-squares',
    predict(xs, ys, k, query, dims) {
      checkPredictArgs('least-squares', xs, ys, k, query, dims);
      if (k === 0) return 0;
      const w = new Float64Array(dims);
      if (k >= dims) {
        // (d × d) Gram XᵀX and Xᵀy.
        const g = new Float64Array(dims * dims);
        const rhs = new Float64Array(dims);
        for (let i = 0; i < k; i++) {
          for (let a = 0; a < dims; a++) {
            const xa = xs[i * dims + a] as number;
            rhs[a] = (rhs[a] as number) + xa * (ys[i] as number);
            for (let b = 0; b < dims; b++)
              g[a * dims + b] = (g[a * dims + b] as number) + xa * (xs[i * dims + b] as number);
          }
        }
        w.set(solveSymmetric(g, rhs, dims));
      } else {
        // (k × k) Gram XXᵀ, then w = Xᵀα with (XXᵀ)α = y.
        const g = new Float64Array(k * k);
        for (let i = 0; i < k; i++)
          for (let j = 0; j < k; j++) g[i * k + j] = dotRow(xs.subarray(i * dims, (i + 1) * dims), xs, j, dims);
        const alpha = solveSymmetric(g, ys.subarray(0, k), k);
        for (let i = 0; i < k; i++)
          for (let a = 0; a < dims; a++) w[a] = (w[a] as number) + (alpha[i] as number) * (xs[i * dims + a] as number);
      }
      return dotRow(w, query, 0, dims);
    },
    describe: () => ({ name: 'least-squares' }),
  };
}
