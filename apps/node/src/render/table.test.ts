import { describe, expect, it } from 'vitest';
import { fmtAccuracy } from './table.js';

describe('fmtAccuracy', () => {
  it('rounds down, so an accuracy never reads as a threshold or a perfect score it missed', () => {
    expect(fmtAccuracy(0.9496)).toBe('0.949');
    expect(fmtAccuracy(0.9995)).toBe('0.999');
    expect(fmtAccuracy(1)).toBe('1');
    expect(fmtAccuracy(0.9496, 2)).toBe('0.94');
  });

  it('keeps a float32 accuracy at its value: 0.57 is stored as 0.56999999', () => {
    expect(fmtAccuracy(Math.fround(0.57))).toBe('0.57');
    expect(fmtAccuracy(Math.fround(0.501))).toBe('0.501');
  });

  it('shows a missing accuracy as a dash', () => {
    expect(fmtAccuracy(null)).toBe('—');
    expect(fmtAccuracy(Number.NaN)).toBe('—');
  });
});
