import type { Tensor } from '@tensorflow/tfjs-core';

/** Max |a − b| / (atol + rtol·|b|) over all entries; ≤ 1 means "close". */
export function closeness(actual: ArrayLike<number>, expected: ArrayLike<number>, atol: number, rtol: number): number {
  if (actual.length !== expected.length) {
    throw new Error(`closeness: length ${actual.length} differs from expected ${expected.length}`);
  }
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i] as number;
    const b = expected[i] as number;
    const ratio = Math.abs(a - b) / (atol + rtol * Math.abs(b));
    if (!(ratio <= worst)) worst = Number.isNaN(ratio) ? Infinity : ratio;
  }
  return worst;
}

/** Throws a message naming the worst entry unless `actual` ≈ `expected` elementwise. */
export function expectClose(
  actual: Tensor | ArrayLike<number>,
  expected: Tensor | ArrayLike<number>,
  { atol = 1e-5, rtol = 1e-4, what = 'values' }: { atol?: number; rtol?: number; what?: string } = {},
): void {
  const a = 'dataSync' in actual ? actual.dataSync() : actual;
  const b = 'dataSync' in expected ? expected.dataSync() : expected;
  if (closeness(a, b, atol, rtol) <= 1) return;
  let worstIndex = 0;
  let worst = -1;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs((a[i] as number) - (b[i] as number)) / (atol + rtol * Math.abs(b[i] as number));
    if (!(d <= worst)) {
      worst = Number.isNaN(d) ? Infinity : d;
      worstIndex = i;
    }
  }
  throw new Error(
    `${what} differ at index ${worstIndex}: got ${a[worstIndex]}, expected ${b[worstIndex]} (atol ${atol}, rtol ${rtol})`,
  );
}
