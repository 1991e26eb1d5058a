/**
 * The bytes of a small WebAssembly module (SIMD, 128-bit XOR) with the three row operations of
 * `Gf2Kernel`, assembled at load time with @learnability/wasm-asm, so no build step or binary file
 * is needed. Exports: `memory`, `xorRow(dst, src, from, to)`, `xorInto(dst, x, y, from, to)`,
 * `applyTables(rowStart, rowEnd, stride, col, lenMask, bitsPerTable, tables, from, to, count)`
 * — word offsets as in kernel.ts; `from` and `to` must be multiples of 4 words (16 bytes).
 */
import type { AsmFunction, Code } from '@learnability/wasm-asm';
import { assembleModule, bump, doWhile, get, I32, i32c, ifElse, ifThen, mem, op, set, simdOp, tee, untilLoop } from '@learnability/wasm-asm';

/** local += 16 (one 128-bit chunk) */
const next = (i: number) => bump(i, i32c(16));

/**
 * mem[p] ^= mem[s0] ^ … for 16-byte chunks while p < end; bumps p and every source pointer.
 * The caller guarantees p < end on entry.
 */
function xorLoop(p: number, end: number, sources: number[]): Code {
  const sum = sources.flatMap((s, j) => [...get(s), ...mem.v128Load(), ...(j > 0 ? simdOp.v128Xor : [])]);
  return doWhile(
    [
      ...get(p), ...get(p), ...mem.v128Load(), ...sum, ...simdOp.v128Xor, ...mem.v128Store(),
      ...next(p), ...sources.flatMap(next),
    ],
    [...get(p), ...get(end), op.ltU],
  );
}

/** byte address of word (a + b): (a + b) << 2 */
const wordsToBytes = (a: Code, b: Code): Code => [...a, ...b, op.add, ...i32c(2), op.shl];

// xorRow(dst 0, src 1, from 2, to 3); locals p 4, end 5, q 6.
const xorRowBody = [
  ...wordsToBytes(get(0), get(2)), ...set(4),
  ...wordsToBytes(get(0), get(3)), ...set(5),
  ...wordsToBytes(get(1), get(2)), ...set(6),
  ...ifThen([...get(4), ...get(5), op.ltU], xorLoop(4, 5, [6])),
];

// xorInto(dst 0, x 1, y 2, from 3, to 4): mem[dst] = mem[x] ^ mem[y]; locals p 5, end 6, q 7, r 8.
const xorIntoBody = [
  ...wordsToBytes(get(0), get(3)), ...set(5),
  ...wordsToBytes(get(0), get(4)), ...set(6),
  ...wordsToBytes(get(1), get(3)), ...set(7),
  ...wordsToBytes(get(2), get(3)), ...set(8),
  ...ifThen([...get(5), ...get(6), op.ltU], doWhile(
    [
      ...get(5), ...get(7), ...mem.v128Load(), ...get(8), ...mem.v128Load(), ...simdOp.v128Xor, ...mem.v128Store(),
      ...next(5), ...next(7), ...next(8),
    ],
    [...get(5), ...get(6), op.ltU],
  )),
];

// applyTables(rowStart 0, rowEnd 1, stride 2, col 3, lenMask 4, bits 5, tables 6, from 7, to 8, count 9)
// locals: i 10, v 11, p 12, end 13, t0..t3 14..17, mask 18, tableBytes 19, strideBytes 20, base 21
const L = { i: 10, v: 11, p: 12, end: 13, t: [14, 15, 16, 17], mask: 18, tableBytes: 19, strideBytes: 20, base: 21 } as const;
const tablePointer = (g: number) => [
  ...get(L.base), ...(g > 0 ? [...get(L.tableBytes), ...i32c(g), op.mul, op.add] : []),
  ...get(L.v), ...(g > 0 ? [...get(5), ...i32c(g), op.mul, op.shrU] : []), ...get(L.mask), op.and,
  ...get(L.strideBytes), op.mul, op.add, ...set(L.t[g] as number),
];
// if count == 1 {loop1} else if count == 2 {loop2} else if count == 3 {loop3} else {loop4}
const dispatch = (g: number): Code =>
  g === 4
    ? xorLoop(L.p, L.end, [...L.t])
    : ifElse([...get(9), ...i32c(g), op.eq], xorLoop(L.p, L.end, L.t.slice(0, g)), dispatch(g + 1));
const applyTablesBody = [
  ...i32c(1), ...get(5), op.shl, ...i32c(-1), op.add, ...set(L.mask),
  ...get(2), ...i32c(2), op.shl, ...set(L.strideBytes),
  ...get(L.mask), ...i32c(1), op.add, ...get(L.strideBytes), op.mul, ...set(L.tableBytes),
  ...wordsToBytes(get(6), get(7)), ...set(L.base),
  ...get(0), ...set(L.i),
  ...untilLoop([...get(L.i), ...get(1), op.geU], [
    // v = (u64 at word i·stride + col/32) >> (col & 31), masked to len bits
    ...wordsToBytes([...get(L.i), ...get(2), op.mul], [...get(3), ...i32c(5), op.shrU]),
    ...mem.i64Load(0, 2), ...get(3), ...i32c(31), op.and, op.extendU, op.i64ShrU, op.wrap, ...get(4), op.and, ...tee(L.v),
    ...ifThen([op.eqz, op.eqz], [
      ...wordsToBytes([...get(L.i), ...get(2), op.mul], get(7)), ...set(L.p),
      ...wordsToBytes([...get(L.i), ...get(2), op.mul], get(8)), ...set(L.end),
      ...[0, 1, 2, 3].flatMap(tablePointer),
      ...ifThen([...get(L.p), ...get(L.end), op.ltU], dispatch(1)),
    ]),
    ...bump(L.i, i32c(1)),
  ]),
];

const i32s = (k: number) => new Array<number>(k).fill(I32);
const functions: AsmFunction[] = [
  { name: 'xorRow', params: i32s(4), locals: [[3, I32]], body: xorRowBody },
  { name: 'xorInto', params: i32s(5), locals: [[4, I32]], body: xorIntoBody },
  { name: 'applyTables', params: i32s(10), locals: [[12, I32]], body: applyTablesBody },
];

/** The module's bytes: its own memory (1 page to start, grown from JS), exported as `memory`. */
export function gf2WasmBytes(): Uint8Array<ArrayBuffer> {
  return assembleModule(functions, { kind: 'exported', name: 'memory' });
}
