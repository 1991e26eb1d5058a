import type { Rng } from '@learnability/core';
import type { PromptFunction } from './function-family.js';

/**
 * f(x) = ⟨w, x⟩ with w ~ N(0, I) on the first `active` coordinates (the rest 0, the dims
 * curriculum). With `sparsity` s: only s coordinates, chosen uniformly among the active ones,
 * are nonzero (Yang et al. 2023: s = 3). Draws: the support (sparse only), then w.
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
    for (const i of rng.subset(active, Math.min(sparsity, active))) w[i] = rng.normal();
  }
  const f: PromptFunction = (x, offset) => {
    let s = 0;
    for (let i = 0; i < active; i++) s += (w[i] as number) * (x[offset + i] as number);
    return s;
  };
  return { f, w };
}
