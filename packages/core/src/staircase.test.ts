import { describe, expect, it } from 'vitest';
import { defaultsOf, defineSchema, resolveOptions } from './schema.js';
import { staircaseAt, staircaseFields } from './staircase.js';

describe('staircase curriculum', () => {
  it('is min(cap, start + increment · ⌊completed / interval⌋), and null when off', () => {
    const at = (completed: number) => staircaseAt(11, 2, 2_000, completed, 41);
    expect([0, 1_999, 2_000, 4_000, 29_999, 30_000, 1e6].map(at)).toEqual([11, 11, 13, 15, 39, 41, 41]);
    expect(staircaseAt(null, 2, 500, 10_000, 20)).toBeNull();
  });

  it('refuses completed steps that are no whole number ≥ 0 (−5 gave a value below the start, NaN null)', () => {
    for (const completed of [-5, Number.NaN, 1.5])
      expect(() => staircaseAt(11, 2, 2_000, completed, 41)).toThrow(
        `staircase: completed steps must be an integer ≥ 0, but got ${completed}`,
      );
  });

  it('refuses a start, increment or interval that is no whole number in range (interval 0 gave NaN)', () => {
    expect(() => staircaseAt(1, 1, 0, 0, 10)).toThrow('staircase: interval must be an integer ≥ 1, but got 0');
    expect(() => staircaseAt(5, -3, 1, 10, 20)).toThrow('staircase: increment must be an integer ≥ 0, but got -3');
    expect(() => staircaseAt(Number.NaN, 1, 1, 5, 10)).toThrow('staircase: start must be an integer ≥ 1, but got NaN');
  });

  it("gives a part three options, off by default, checked as the part's own", () => {
    const schema = defineSchema({ ...staircaseFields('loops', 'loop curriculum', 'b at first', 2, 500) });
    expect(defaultsOf(schema)).toEqual({ loopsStart: null, loopsIncrement: 2, loopsInterval: 500 });
    expect(schema.fields.loopsIncrement.doc).toBe('loop curriculum: added every loopsInterval steps');
    expect(() => resolveOptions('t', schema, { loopsStart: 0, loopsInterval: 0 })).toThrow(
      't.loopsStart: expected null or an integer ≥ 1, but got 0; t.loopsInterval: expected an integer ≥ 1, but got 0',
    );
  });
});
