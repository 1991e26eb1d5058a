import type { Tensor } from '@tensorflow/tfjs-core';

/** Max |a − b| / (atol + rtol·|b|) over all entries; ≤ 1 means "close". Equal entries score 0. */
export function closeness(actual: ArrayLike<number>, expected: ArrayLike<number>, atol: number, rtol: number): number {
  if (actual.length !== expected.length) {
    throw new Error(`closeness: length ${actual.length} differs from expected ${expected.length}`);
  }
  let worst = 0;
  for (let i = 0; i < actual.length; i++)
    worst = Math.max(worst, entryScore(actual[i] as number, expected[i] as number, atol, rtol));
  return worst;
}

function entryScore(a: number, b: number, atol: number, rtol: number): number {
  if (a === b) return 0;
  const score = Math.abs(a - b) / (atol + rtol * Math.abs(b));
  return Number.isNaN(score) ? Infinity : score;
}

/** Reads a tensor asynchronously (every backend, webgpu in Node included, supports `data()`). */
export async function values(t: Tensor | ArrayLike<number>): Promise<ArrayLike<number>> {
  return 'data' in t && typeof t.data === 'function' ? ((await t.data()) as Float32Array) : (t as ArrayLike<number>);
}

/**
 * Rejects with a message naming the worst entry unless `actual` ≈ `expected` elementwise.
 * Async because WebGPU in Node has no synchronous read back.
 */
export async function expectClose(
  actual: Tensor | ArrayLike<number>,
  expected: Tensor | ArrayLike<number>,
  { atol = 1e-5, rtol = 1e-4, what = 'values' }: { atol?: number; rtol?: number; what?: string } = {},
): Promise<void> {
  const a = await values(actual);
  const b = await values(expected);
  if (closeness(a, b, atol, rtol) <= 1) return;
  let worstIndex = 0;
  let worst = -1;
  for (let i = 0; i < a.length; i++) {
    const s = entryScore(a[i] as number, b[i] as number, atol, rtol);
    if (s > worst) {
      worst = s;
      worstIndex = i;
    }
  }
  throw new Error(
    `${what} differ at index ${worstIndex}: got ${a[worstIndex]}, expected ${b[worstIndex]} (atol ${atol}, rtol ${rtol})`,
  );
}
