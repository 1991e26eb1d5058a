import { describe, expect, it } from 'vitest';
import { encodeReadable } from './encode-readable.js';

describe('encodeReadable', () => {
  it('keeps the characters asked for and encodes the rest, as encodeURIComponent does', () => {
    expect(encodeReadable('model.widths=[64,64]', '=[],:/')).toBe('model.widths=[64,64]');
    expect(encodeReadable('a b&c=[1]', ':,/')).toBe('a%20b%26c%3D%5B1%5D');
    expect(encodeReadable('expr:x[0] > 0', ':,/')).toBe('expr:x%5B0%5D%20%3E%200');
    expect(decodeURIComponent(encodeReadable('😀 é', ''))).toBe('😀 é');
  });

  it('writes a lone surrogate as U+FFFD, where encodeURIComponent threw a URIError', () => {
    const half = '😀'.slice(0, 1);
    expect(() => encodeURIComponent(`x${half}`)).toThrow(URIError);
    expect(decodeURIComponent(encodeReadable(`x${half}y`, ''))).toBe('x\uFFFDy');
    expect(decodeURIComponent(encodeReadable(`${'😀'.slice(1)}`, ''))).toBe('\uFFFD');
  });
});
