import { describe, expect, it } from 'vitest';
import { name, section, sleb, uleb, vec } from './encoding.js';

describe('WebAssembly binary encoding', () => {
  it('LEB128 matches the spec examples', () => {
    expect(uleb(0)).toEqual([0]);
    expect(uleb(127)).toEqual([0x7f]);
    expect(uleb(128)).toEqual([0x80, 0x01]);
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(uleb(2 ** 32 - 1)).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(sleb(63)).toEqual([0x3f]);
    expect(sleb(64)).toEqual([0xc0, 0x00]);
    expect(sleb(-1)).toEqual([0x7f]);
    expect(sleb(-64)).toEqual([0x40]);
    expect(sleb(-65)).toEqual([0xbf, 0x7f]);
  });

  it('an empty module with a named export section validates', () => {
    const bytes = new Uint8Array([
      0x00,
      0x61,
      0x73,
      0x6d,
      1,
      0,
      0,
      0,
      ...section(5, vec([[0x00, 1]])),
      ...section(7, vec([[...name('memory'), 0x02, 0]])),
    ]);
    expect(WebAssembly.validate(bytes)).toBe(true);
  });
});
