import { createRng } from '@learnability/core';
import { describe, expect, it } from 'vitest';
import { sampleParity, sampleParityWords, toPm1, unpackSigns } from './parity-sampling.js';

/** y = Π_{i∈S} x_i, written the obvious way. */
function plainParity(row: number[], subset: number[]): number {
  return subset.reduce((acc, i) => acc * (row[i] as number), 1);
}

describe('sampleParity', () => {
  it('labels are the product of x over the subset, x uniform in {±1}', () => {
    const n = 23;
    const subset = [0, 4, 5, 17, 22];
    const { x, y } = sampleParity(500, n, subset, {}, createRng(1));
    let plus = 0;
    for (let r = 0; r < 500; r++) {
      const row = Array.from(x.subarray(r * n, r * n + n));
      expect(row.every((v) => v === 1 || v === -1)).toBe(true);
      expect(y[r]).toBe(plainParity(row, subset));
      plus += row.filter((v) => v === 1).length;
    }
    expect(Math.abs(plus / (500 * n) - 0.5)).toBeLessThan(0.03);
  });

  it('k = 0 gives the constant +1 and k = n full parity', () => {
    const n = 9;
    expect(Array.from(sampleParity(50, n, [], {}, createRng(2)).y).every((v) => v === 1)).toBe(true);
    const full = [...Array(n).keys()];
    const { x, y } = sampleParity(50, n, full, {}, createRng(3));
    for (let r = 0; r < 50; r++) expect(y[r]).toBe(plainParity(Array.from(x.subarray(r * n, r * n + n)), full));
  });

  it('the 01 encoding is (1 − x)/2 of the same draw, with the same labels', () => {
    const pm1 = sampleParity(40, 12, [1, 2, 3], {}, createRng(4));
    const zo = sampleParity(40, 12, [1, 2, 3], { encoding: '01' }, createRng(4));
    expect(Array.from(zo.y)).toEqual(Array.from(pm1.y));
    expect(Array.from(zo.x, (v) => toPm1(v, '01'))).toEqual(Array.from(pm1.x));
    expect(Array.from(zo.x).every((v) => v === 0 || v === 1)).toBe(true);
  });

  it('flips labels at rate η', () => {
    const n = 8;
    const subset = [1, 6];
    const count = 200_000;
    for (const eta of [0.05, 0.2]) {
      const { x, y } = sampleParity(count, n, subset, { noise: eta }, createRng(5));
      let flips = 0;
      for (let r = 0; r < count; r++)
        if (y[r] !== plainParity(Array.from(x.subarray(r * n, r * n + n)), subset)) flips++;
      const sigma = Math.sqrt((eta * (1 - eta)) / count);
      expect(Math.abs(flips / count - eta)).toBeLessThan(5 * sigma);
    }
  });
});

describe('sampleParityWords', () => {
  it('is the draw of sampleParity, packed: same x, same y, same generator advance (noise on, rows not word-aligned)', () => {
    const [a, b] = [createRng(9), createRng(9)];
    const packed = sampleParityWords(37, 13, [0, 5, 12], 0.2, a);
    const plain = sampleParity(37, 13, [0, 5, 12], { noise: 0.2 }, b);
    expect(unpackSigns(packed.words, 37 * 13)).toEqual(plain.x);
    expect(packed.y).toEqual(plain.y);
    expect(a.nextUint32()).toBe(b.nextUint32());
  });

  it('keeps the stream rng.signs gives (runs before packing drew the same examples)', () => {
    const x = new Float32Array(21 * 7);
    createRng(11).signs(x);
    expect(sampleParity(21, 7, [2], {}, createRng(11)).x).toEqual(x);
  });

  it('unpacks to the {0, 1} encoding as x01 = (1 − x±1) / 2', () => {
    const words = new Uint32Array([0b1011]);
    expect(Array.from(unpackSigns(words, 5, '01'))).toEqual([0, 0, 1, 0, 1]);
    expect(Array.from(unpackSigns(words, 5))).toEqual([1, 1, -1, 1, -1]);
  });
});
