/**
 * The inputs the INAL estimator feeds the model, in chunks of B rows per replica, on the host:
 * x (R·B·n, replica-major) and f(x) (R·B).
 *
 * - exact: all 2^n inputs in row order (walsh-hadamard.ts convention: bit j of the row index set
 *   ↔ x_j = −1), the same rows for every replica.
 * - sampled: each replica its own uniform inputs from its own stream, so the R per-replica
 *   estimates are independent (createRng(seed).fork('inal-inputs').fork(r)).
 */
import { createRng } from '@learnability/core';
import type { Rng } from '@learnability/core';
import type { BooleanTarget } from '../boolean-target.js';

export interface InputChunk {
  /** (R, rows, n) row-major. */
  x: Float32Array;
  /** (R, rows). */
  f: Float32Array;
  rows: number;
}

/** Chunks of the exact enumeration of {±1}^n (n ≤ 30). */
export function* exactChunks(target: BooleanTarget, replicas: number, chunk: number): Generator<InputChunk> {
  const n = target.n;
  const total = 2 ** n;
  for (let start = 0; start < total; start += chunk) {
    const rows = Math.min(chunk, total - start);
    const one = new Float32Array(rows * n);
    const fOne = new Float32Array(rows);
    for (let b = 0; b < rows; b++) {
      const index = start + b;
      for (let j = 0; j < n; j++) one[b * n + j] = (index >>> j) & 1 ? -1 : 1;
      fOne[b] = target.valueAt(one, b * n);
    }
    const x = new Float32Array(replicas * rows * n);
    const f = new Float32Array(replicas * rows);
    for (let r = 0; r < replicas; r++) {
      x.set(one, r * rows * n);
      f.set(fOne, r * rows);
    }
    yield { x, f, rows };
  }
}

/** Chunks of `samples` uniform inputs per replica; `stream` names an independent input stream. */
export function* sampledChunks(
  target: BooleanTarget,
  replicas: number,
  chunk: number,
  samples: number,
  seed: number,
  stream = 'inal-inputs',
): Generator<InputChunk> {
  const n = target.n;
  const base = createRng(seed).fork(stream);
  const rngs: Rng[] = Array.from({ length: replicas }, (_, r) => base.fork(r));
  for (let start = 0; start < samples; start += chunk) {
    const rows = Math.min(chunk, samples - start);
    const x = new Float32Array(replicas * rows * n);
    const f = new Float32Array(replicas * rows);
    rngs.forEach((rng, r) => {
      const part = x.subarray(r * rows * n, (r + 1) * rows * n);
      rng.signs(part);
      for (let b = 0; b < rows; b++) f[r * rows + b] = target.valueAt(part, b * n);
    });
    yield { x, f, rows };
  }
}
