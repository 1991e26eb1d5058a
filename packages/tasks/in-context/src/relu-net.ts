import type { Rng } from '@learnability/core';
import type { PromptFunction } from './function-family.js';

/**
 * A random 2-layer ReLU network f(x) = √(2/h) · Σ_j w2_j · ReLU(⟨W1_j, x⟩) with W1 (h × d) and
 * w2 (h) ~ N(0, 1) (docs/papers.md §5: h = 100). Only the first `active` coordinates of x are read.
 * Draws: W1 row by row (d entries each), then w2.
 */
export function sampleReluNet(
  dims: number,
  active: number,
  hidden: number,
  rng: Rng,
): { f: PromptFunction; w1: Float32Array; w2: Float32Array } {
  const w1 = new Float32Array(hidden * dims);
  rng.normals(w1);
  const w2 = new Float32Array(hidden);
  rng.normals(w2);
  const scale = Math.sqrt(2 / hidden);
  const f: PromptFunction = (x, offset) => {
    let s = 0;
    for (let j = 0; j < hidden; j++) {
      let z = 0;
      for (let i = 0; i < active; i++) z += (w1[j * dims + i] as number) * (x[offset + i] as number);
      if (z > 0) s += (w2[j] as number) * z;
    }
    return scale * s;
  };
  return { f, w1, w2 };
}
