import { describe, expect, it } from 'vitest';
import { sleb, uleb, wasmName, wasmSection, wasmVec } from './wasm-encoding.js';

describe('WebAssembly binary encoding', () => {
  it('LEB128 matches the spec examples', () => {
    expect(uleb(0)).toEqual([0]);
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(sleb(63)).toEqual([0x3f]);
    expect(sleb(64)).toEqual([0xc0, 0x00]);
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
      ...wasmSection(5, wasmVec([[0x00, 1]])),
      ...wasmSection(7, wasmVec([[...wasmName('memory'), 0x02, 0]])),
    ]);
    expect(WebAssembly.validate(bytes)).toBe(true);
  });
});
