import { describe, expect, it } from 'vitest';
import { dispatchGrid } from './kernels.js';

describe('dispatchGrid', () => {
  it('cuts a 1-D workgroup count into (x, y) with x ≤ the limit and x·y ≥ the count', () => {
    expect(dispatchGrid(10, 65_535)).toEqual([10, 1]);
    expect(dispatchGrid(70_000, 65_535)).toEqual([65_535, 2]);
    expect(dispatchGrid(0, 65_535)).toEqual([0, 1]); // 0 / 0 gave a NaN count
  });

  it('refuses counts that are no whole numbers in range', () => {
    expect(() => dispatchGrid(10, 0)).toThrow('dispatchGrid: maxPerDimension must be an integer ≥ 1, but got 0');
    expect(() => dispatchGrid(2.5, 8)).toThrow('dispatchGrid: groups must be an integer ≥ 0, but got 2.5');
  });
});
