import { describe, expect, it } from 'vitest';
import { formatBinaryBytes } from './memory-limits.js';

describe('formatBinaryBytes against a limit', () => {
  it("writes a refused size in the limit's binary units, with the decimals that read above it", () => {
    const GiB = 2 ** 30;
    // 4.34e9 bytes read "4.3 GB" beside "at most 4 GiB"; 4.04 GiB says by how much.
    expect(formatBinaryBytes(4.34e9, 4 * GiB)).toBe('4.04 GiB');
    expect(formatBinaryBytes(5.42e9, 4 * GiB)).toBe('5.0 GiB');
    expect(formatBinaryBytes(96e9, 4 * GiB)).toBe('89 GiB');
    expect(formatBinaryBytes(2 ** 27 + 1, 2 ** 27)).toBe('128.000 MiB'); // as close as 3 decimals go
  });
});

describe('formatBinaryBytes', () => {
  it('moves to the next unit when the rounded value reaches 1024, and refuses a count that is no size', () => {
    expect(formatBinaryBytes(1_048_575)).toBe('1 MiB'); // 1023.999 KiB read "1024 KiB"
    expect(formatBinaryBytes(2 ** 30 - 1)).toBe('1 GiB');
    expect(formatBinaryBytes(1536)).toBe('1.5 KiB');
    expect(formatBinaryBytes(0)).toBe('0 B');
    // Against a limit too: 1,048,575 bytes over a limit of 1e6 read "1024 KiB".
    expect(formatBinaryBytes(1_048_575, 1e6)).toBe('1.00 MiB');
    for (const [bad, shown] of [
      [Number.NaN, 'NaN'],
      [-5e9, '-5000000000'],
      [Number.POSITIVE_INFINITY, 'Infinity'],
    ] as const)
      expect(() => formatBinaryBytes(bad)).toThrow(`formatBinaryBytes: expected a byte count ≥ 0, but got ${shown}`);
  });
});
