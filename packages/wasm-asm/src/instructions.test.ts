import { describe, expect, it } from 'vitest';
import { bump, f32c, get, i32c, mem, op, set, simdOp, tee } from './instructions.js';

describe('instructions', () => {
  it('encode local indices and i32 immediates as LEB128', () => {
    expect(get(3)).toEqual([0x20, 3]);
    expect(set(200)).toEqual([0x21, 0xc8, 0x01]);
    expect(tee(0)).toEqual([0x22, 0]);
    expect(i32c(-1)).toEqual([0x41, 0x7f]);
    expect(i32c(16)).toEqual([0x41, 16]);
    expect(bump(5, i32c(16))).toEqual([0x20, 5, 0x41, 16, op.add, 0x21, 5]);
  });

  it('encode f32 constants as little-endian float32', () => {
    expect(f32c(0)).toEqual([0x43, 0, 0, 0, 0]);
    expect(f32c(1.5)).toEqual([0x43, 0x00, 0x00, 0xc0, 0x3f]);
  });

  it('give loads and stores their opcode, alignment hint (natural by default) and offset', () => {
    expect(mem.f32Load()).toEqual([0x2a, 2, 0]);
    expect(mem.f32Store(4)).toEqual([0x38, 2, 4]);
    expect(mem.i64Load(0, 2)).toEqual([0x29, 2, 0]);
    expect(mem.v128Load(16)).toEqual([0xfd, 0x00, 4, 16]);
    expect(mem.v128Store(144)).toEqual([0xfd, 0x0b, 4, 0x90, 0x01]);
    expect(mem.v128Load32Splat()).toEqual([0xfd, 0x09, 2, 0]);
  });

  it('write SIMD opcodes as u32 LEB128 after the 0xfd prefix', () => {
    expect(simdOp.v128Xor).toEqual([0xfd, 0x51]);
    expect(simdOp.f32x4Add).toEqual([0xfd, 0xe4, 0x01]);
    expect(simdOp.i32x4TruncSatF32x4S).toEqual([0xfd, 0xf8, 0x01]);
    expect(simdOp.v128Zero).toEqual([0xfd, 0x0c, ...new Array<number>(16).fill(0)]);
  });
});
