import { describe, expect, it } from 'vitest';
import { createGf2Matrix, gf2FromBits, gf2Get, gf2RowBits, gf2Set, packParitySamples } from './gf2-matrix.js';

describe('GF(2) matrices', () => {
  it('sets and gets bits across word boundaries', () => {
    const m = createGf2Matrix(3, 70);
    expect(m.stride).toBe(3);
    for (const c of [0, 31, 32, 63, 64, 69]) gf2Set(m, 1, c, 1);
    expect([...gf2RowBits(m, 1).keys()].filter((c) => gf2Get(m, 1, c))).toEqual([0, 31, 32, 63, 64, 69]);
    gf2Set(m, 1, 31, 0);
    expect(gf2Get(m, 1, 31)).toBe(0);
    expect(Array.from(gf2RowBits(m, 0)).every((b) => b === 0)).toBe(true);
  });

  it('packs ±1 samples as bit = (1 − x)/2 with the label bit (1 − y)/2 in column n', () => {
    for (const n of [5, 32, 33]) {
      const x = Float32Array.from({ length: 2 * n }, (_, i) => (i % 3 === 0 ? -1 : 1));
      const y = Float32Array.from([-1, 1]);
      const packed = packParitySamples(x, y, n);
      const zo = packParitySamples(
        Float32Array.from(x, (v) => (1 - v) / 2),
        y,
        n,
        '01',
      );
      expect(Array.from(zo.words)).toEqual(Array.from(packed.words));
      const expected = gf2FromBits(
        [0, 1].map((r) => [
          ...Array.from(x.subarray(r * n, r * n + n), (v) => (1 - v) / 2),
          (1 - (y[r] as number)) / 2,
        ]),
        n + 1,
      );
      expect(Array.from(packed.words)).toEqual(Array.from(expected.words));
    }
    expect(() => packParitySamples(new Float32Array(5), new Float32Array(2), 3)).toThrow(/expected y.length · n/);
  });

  it('packParitySamples refuses an encoding it does not know (any other read as 01), a bad n and missing arrays', () => {
    expect(() => packParitySamples([1, 0], [1], 2, 'binary' as never)).toThrow(
      `packParitySamples: encoding must be one of 'pm1', '01', but got "binary"`,
    );
    expect(() => packParitySamples([], [], -1)).toThrow('packParitySamples: n must be an integer ≥ 0, but got -1');
    expect(() => packParitySamples(undefined as never, [1], 2)).toThrow(
      'packParitySamples: x and y must be arrays (x: count · n inputs, y: count labels ±1)',
    );
  });

  it('gf2FromBits refuses values other than 0 and 1, naming where and pointing ±1 samples to packParitySamples', () => {
    expect(Array.from(gf2FromBits([Uint8Array.of(1, 0, 1)], 3).words)).toEqual([0b101]);
    for (const [bad, shown] of [
      [-1, '-1'],
      [2, '2'],
      [0.5, '0.5'],
      [Number.NaN, 'NaN'],
    ] as const)
      expect(() =>
        gf2FromBits(
          [
            [0, 1, 1],
            [1, bad, 0],
          ],
          3,
        ),
      ).toThrow(`gf2FromBits: row 1, column 1 is ${shown}, expected 0 or 1 (for ±1 samples use packParitySamples)`);
  });
});
