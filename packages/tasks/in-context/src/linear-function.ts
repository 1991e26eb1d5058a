import type { Rng } from '@learnability/core';
import type { PromptFunction } from './function-family.js';

/**
 * f(x) = ⟨w, x⟩ with w ~ N(0, I) on the first `active` coordinates (the rest 0, the dims
 * curriculum). With `sparsity` s: a support of s coordinates chosen uniformly among all `dims`,
 * and w nonzero on the part of it that is active (Yang et al. 2023: s = 3). As in the authors'
 * code (scripts/tasks.py: the support is drawn over n_dims after w is cut to the active ones), a
 * prompt early in the curriculum has fewer than s nonzeros; with every coordinate active the
 * two readings agree. Draws: the support (sparse only), then w.
 */
export function sampleLinearFunction(
  dims: number,
  active: number,
  rng: Rng,
  sparsity: number | null = null,
): { f: PromptFunction; w: Float32Array } {
  const w = new Float32Array(dims);
  if (sparsity === null) {
    rng.normals(w.subarray(0, active));
  } else {
    for (const i of rng.subset(dims, sparsity)) {
      const value = rng.normal();
      if (i < active) w[i] = value;
    }
  }
  const f: PromptFunction = (x, offset) => {
    let s = 0;
    for (let i = 0; i < active; i++) s += (w[i] as number) * (x[offset + i] as number);
    return s;
  };
  return { f, w };
}
