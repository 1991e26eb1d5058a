import { assertInt } from '@learnability/core';
import type { InContextLearner } from './learner.js';
import { checkPredictArgs } from './learner.js';

/**
 * k-nearest neighbours: the mean y of the `neighbours` examples closest to the query in
 * Euclidean distance (all of them when fewer are shown). Default 3 (Garg et al. 2022).
 */
export function createNearestNeighbours(neighbours = 3): InContextLearner {
  assertInt('nearest-neighbours.neighbours', neighbours, 1);
  return {
    name: `${neighbours}-nn`,
    predict(xs, ys, k, query, dims) {
      checkPredictArgs(`${neighbours}-nn`, xs, ys, k, query, dims);
      if (k === 0) return 0;
      const order = Array.from({ length: k }, (_, i) => {
        let d2 = 0;
        for (let a = 0; a < dims; a++) d2 += ((xs[i * dims + a] as number) - (query[a] as number)) ** 2;
        return { i, d2 };
      }).sort((u, v) => u.d2 - v.d2 || u.i - v.i);
      const used = order.slice(0, Math.min(neighbours, k));
      return used.reduce((s, { i }) => s + (ys[i] as number), 0) / used.length;
    },
    describe: () => ({ name: 'nearest-neighbours', neighbours }),
  };
}
