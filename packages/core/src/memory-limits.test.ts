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
