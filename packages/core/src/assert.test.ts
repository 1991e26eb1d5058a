import { describe, expect, it } from 'vitest';
import { createRng } from './rng.js';
import { showValue } from './assert.js';

describe('showValue', () => {
  it('quotes and names a string, and shows plain objects and lists as short JSON, where String() gave [object Object]', () => {
    expect(showValue('8')).toBe('"8" (a string)');
    expect(showValue(8)).toBe('8');
    expect(showValue(undefined)).toBe('undefined');
    expect(showValue(null)).toBe('null');
    expect(showValue({ neighbours: 3 })).toBe('{ neighbours: 3 }');
    expect(showValue([1, 2])).toBe('[1, 2]');
    // What JSON would lose or dump: NaN and undefined as they are, an instance inside by its class.
    expect(showValue({ lr: Number.NaN, k: undefined })).toBe('{ lr: NaN, k: undefined }');
    expect(showValue([Number.POSITIVE_INFINITY, 'x'])).toBe('[Infinity, "x"]');
    expect(showValue([createRng(0)])).toMatch(/^\[a \w+\]$/);
    expect(showValue(new (class {})())).toBe('an object');
    expect(showValue(new Array(100).fill(1))).toBe('a list of 100');
    expect(showValue({ text: 'x'.repeat(100) })).toBe('an object');
    // An instance is named by its class, not dumped.
    expect(showValue(new Float32Array(3))).toBe('a Float32Array');
    expect(showValue(createRng(0))).toMatch(/^a \w+$/);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(showValue(circular)).toBe('an object');
  });

  it('keeps every message one short line: a function by what it is, a long or multi-line string escaped and cut', () => {
    expect(showValue(() => 1)).toBe('a function');
    expect(showValue({ f: () => 1 })).toBe('{ f: a function }');
    expect(showValue(20n)).toBe('20n');
    expect(showValue('a\nb')).toBe('"a\\nb" (a string)');
    expect(showValue('x'.repeat(100))).toBe(`"${'x'.repeat(60)}…" (a string of 100 characters)`);
  });
});
