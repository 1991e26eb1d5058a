/**
 * The bytes of a small WebAssembly module (SIMD, 128-bit XOR) with the three row operations of
 * `Gf2Kernel`, written out by a few-line assembler so no build step or binary file is needed.
 * Exports: `memory`, `xorRow(dst, src, from, to)`, `xorInto(dst, x, y, from, to)`,
 * `applyTables(rowStart, rowEnd, stride, col, lenMask, bitsPerTable, tables, from, to, count)`
 * — word offsets as in kernel.ts; `from` and `to` must be multiples of 4 words (16 bytes).
 */
import { sleb, uleb, wasmName as str, wasmSection as section, wasmVec as vec } from '@learnability/core';

const I32 = 0x7f;
// Opcodes (WebAssembly core spec §5.4; SIMD proposal, prefix 0xfd).
const op = {
  block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, brIf: 0x0d,
  get: 0x20, set: 0x21, tee: 0x22, i32Const: 0x41, i64Load: 0x29,
  eqz: 0x45, eq: 0x46, ltU: 0x49, geU: 0x4f,
  add: 0x6a, mul: 0x6c, and: 0x71, shl: 0x74, shrU: 0x76,
  i64ShrU: 0x88, wrap: 0xa7, extendU: 0xad, void: 0x40,
} as const;

const get = (i: number) => [op.get, i];
const set = (i: number) => [op.set, i];
const c32 = (n: number) => [op.i32Const, ...sleb(n)];
const v128Load = [0xfd, 0x00, 4, 0]; // align 2^4, offset 0
const v128Store = [0xfd, 0x0b, 4, 0];
const v128Xor = [0xfd, 0x51];

/** local = local + 16 */
const bump = (i: number) => [...get(i), ...c32(16), op.add, ...set(i)];

/**
 * mem[p] ^= mem[s0] ^ … for 16-byte chunks while p < end; bumps p and every source pointer.
 * The caller guarantees p < end on entry.
 */
function xorLoop(p: number, end: number, sources: number[]): number[] {
  const sum = sources.flatMap((s, j) => [...get(s), ...v128Load, ...(j > 0 ? v128Xor : [])]);
  return [
    op.loop, op.void,
    ...get(p), ...get(p), ...v128Load, ...sum, ...v128Xor, ...v128Store,
    ...bump(p), ...sources.flatMap(bump),
    ...get(p), ...get(end), op.ltU, op.brIf, 0,
    op.end,
  ];
}

/** byte address of word (a + b): (a + b) << 2 */
const wordsToBytes = (a: number[], b: number[]) => [...a, ...b, op.add, ...c32(2), op.shl];

// xorRow(dst 0, src 1, from 2, to 3); locals p 4, end 5, q 6.
const xorRowBody = [
  ...wordsToBytes(get(0), get(2)), ...set(4),
  ...wordsToBytes(get(0), get(3)), ...set(5),
  ...wordsToBytes(get(1), get(2)), ...set(6),
  ...get(4), ...get(5), op.ltU, op.if, op.void, ...xorLoop(4, 5, [6]), op.end,
];

// xorInto(dst 0, x 1, y 2, from 3, to 4): mem[dst] = mem[x] ^ mem[y]; locals p 5, end 6, q 7, r 8.
const xorIntoBody = [
  ...wordsToBytes(get(0), get(3)), ...set(5),
  ...wordsToBytes(get(0), get(4)), ...set(6),
  ...wordsToBytes(get(1), get(3)), ...set(7),
  ...wordsToBytes(get(2), get(3)), ...set(8),
  ...get(5), ...get(6), op.ltU, op.if, op.void,
  op.loop, op.void,
  ...get(5), ...get(7), ...v128Load, ...get(8), ...v128Load, ...v128Xor, ...v128Store,
  ...bump(5), ...bump(7), ...bump(8),
  ...get(5), ...get(6), op.ltU, op.brIf, 0,
  op.end, op.end,
];

// applyTables(rowStart 0, rowEnd 1, stride 2, col 3, lenMask 4, bits 5, tables 6, from 7, to 8, count 9)
// locals: i 10, v 11, p 12, end 13, t0..t3 14..17, mask 18, tableBytes 19, strideBytes 20, base 21
const L = { i: 10, v: 11, p: 12, end: 13, t: [14, 15, 16, 17], mask: 18, tableBytes: 19, strideBytes: 20, base: 21 } as const;
const tablePointer = (g: number) => [
  ...get(L.base), ...(g > 0 ? [...get(L.tableBytes), ...c32(g), op.mul, op.add] : []),
  ...get(L.v), ...(g > 0 ? [...get(5), ...c32(g), op.mul, op.shrU] : []), ...get(L.mask), op.and,
  ...get(L.strideBytes), op.mul, op.add, ...set(L.t[g] as number),
];
// if count == 1 {loop1} else if count == 2 {loop2} else if count == 3 {loop3} else {loop4}
const dispatch = (g: number): number[] =>
  g === 4
    ? xorLoop(L.p, L.end, [...L.t])
    : [...get(9), ...c32(g), op.eq, op.if, op.void, ...xorLoop(L.p, L.end, L.t.slice(0, g)), op.else, ...dispatch(g + 1), op.end];
const applyTablesBody = [
  ...c32(1), ...get(5), op.shl, ...c32(-1), op.add, ...set(L.mask),
  ...get(2), ...c32(2), op.shl, ...set(L.strideBytes),
  ...get(L.mask), ...c32(1), op.add, ...get(L.strideBytes), op.mul, ...set(L.tableBytes),
  ...wordsToBytes(get(6), get(7)), ...set(L.base),
  ...get(0), ...set(L.i),
  op.block, op.void, op.loop, op.void,
  ...get(L.i), ...get(1), op.geU, op.brIf, 1,
  // v = (u64 at word i·stride + col/32) >> (col & 31), masked to len bits
  ...wordsToBytes([...get(L.i), ...get(2), op.mul], [...get(3), ...c32(5), op.shrU]),
  op.i64Load, 2, 0, ...get(3), ...c32(31), op.and, op.extendU, op.i64ShrU, op.wrap, ...get(4), op.and, op.tee, L.v,
  op.eqz, op.eqz, op.if, op.void,
  ...wordsToBytes([...get(L.i), ...get(2), op.mul], get(7)), ...set(L.p),
  ...wordsToBytes([...get(L.i), ...get(2), op.mul], get(8)), ...set(L.end),
  ...[0, 1, 2, 3].flatMap(tablePointer),
  ...get(L.p), ...get(L.end), op.ltU, op.if, op.void, ...dispatch(1), op.end,
  op.end,
  ...get(L.i), ...c32(1), op.add, ...set(L.i),
  op.br, 0,
  op.end, op.end,
];

const code = (locals: number, body: number[]) => {
  const fn = [...vec(locals > 0 ? [[...uleb(locals), I32]] : []), ...body, op.end];
  return [...uleb(fn.length), ...fn];
};

/** The module's bytes. */
export function gf2WasmBytes(): Uint8Array<ArrayBuffer> {
  const i32s = (k: number) => new Array<number[]>(k).fill([I32]);
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...vec(i32s(4)), 0], [0x60, ...vec(i32s(5)), 0], [0x60, ...vec(i32s(10)), 0]])),
    ...section(3, vec([[0], [1], [2]])),
    ...section(5, vec([[0x00, 1]])), // memory: 1 page to start, grown from JS
    ...section(7, vec([[...str('memory'), 0x02, 0], [...str('xorRow'), 0x00, 0], [...str('xorInto'), 0x00, 1], [...str('applyTables'), 0x00, 2]])),
    ...section(10, vec([code(3, xorRowBody), code(4, xorIntoBody), code(12, applyTablesBody)])),
  ];
  return new Uint8Array(bytes);
}
