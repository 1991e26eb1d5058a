import type { InContextLearner } from './learner.js';
import { checkPredictArgs, dotRow } from './learner.js';

/** Averaging (Garg et al. 2022): w = (1/k) Σ y_i x_i, predict ⟨w, x⟩ — one gradient step from 0. */
export function createAveraging(): InContextLearner {
  return {
    name: 'averaging',
    predict(xs, ys, k, query, dims) {
      checkPredictArgs('averaging', xs, ys, k, query, dims);
      if (k === 0) return 0;
      const w = new Float64Array(dims);
      for (let i = 0; i < k; i++)
        for (let a = 0; a < dims; a++) w[a] = (w[a] as number) + ((ys[i] as number) * (xs[i * dims + a] as number)) / k;
      return dotRow(w, query, 0, dims);
    },
    describe: () => ({ name: 'averaging' }),
  };
}
