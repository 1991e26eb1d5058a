import { describe, expect, it } from 'vitest';
import { doWhile, forUpTo, ifElse, ifThen, untilLoop, whileLoop } from './control.js';
import type { Code } from './instructions.js';
import { bump, F32, f32c, get, I32, i32c, mem, op, set, simdOp, V128 } from './instructions.js';
import type { AsmFunction } from './module.js';
import { assembleModule, instancePerMemory } from './module.js';

type Fn = (...args: number[]) => void;

/** Instantiates `functions` over an own, exported memory; returns the functions and a view of memory. */
function instantiate(functions: AsmFunction[]): { fn: Record<string, Fn>; i32: Int32Array; f32: Float32Array } {
  const { exports } = new WebAssembly.Instance(
    new WebAssembly.Module(assembleModule(functions, { kind: 'exported', name: 'memory' })),
  );
  const memory = exports['memory'] as WebAssembly.Memory;
  const fn: Record<string, Fn> = {};
  for (const f of functions) fn[f.name] = exports[f.name] as Fn;
  return { fn, i32: new Int32Array(memory.buffer), f32: new Float32Array(memory.buffer) };
}

/** mem32[word] = local i */
const store = (word: number, i: number): Code => [...i32c(4 * word), ...get(i), 0x36, 2, 0]; // i32.store

describe('assembleModule', () => {
  it("runs the README's example: x[i] *= a, 4 floats at a time", () => {
    const body = [
      ...get(0), ...get(1), ...i32c(4), op.mul, op.add, ...set(3),
      ...get(2), ...simdOp.f32x4Splat, ...set(4),
      ...whileLoop([...get(0), ...get(3), op.ltU], [
        ...get(0), ...get(0), ...mem.v128Load(), ...get(4), ...simdOp.f32x4Mul, ...mem.v128Store(),
        ...bump(0, i32c(16)),
      ]),
    ];
    const { fn, f32 } = instantiate([
      { name: 'scale', params: [I32, I32, F32], locals: [[1, I32], [1, V128]], body },
    ]);
    const x = Array.from({ length: 12 }, (_, i) => i - 5.5);
    f32.set(x, 4);
    f32[16] = 99;
    fn['scale']?.(16, 12, -0.5);
    expect(Array.from(f32.subarray(4, 16))).toEqual(x.map((v) => v * -0.5));
    expect(f32[16]).toBe(99);
  });

  it('exports an own memory first, then the functions, or imports env.memory (shared or not)', () => {
    const noop: AsmFunction = { name: 'noop', params: [], locals: [], body: [] };
    const own = new WebAssembly.Module(assembleModule([noop], { kind: 'exported', name: 'heap' }));
    expect(WebAssembly.Module.exports(own)).toEqual([
      { name: 'heap', kind: 'memory' },
      { name: 'noop', kind: 'function' },
    ]);
    expect(WebAssembly.Module.imports(own)).toEqual([]);
    for (const shared of [false, true]) {
      const bytes = assembleModule([noop], { kind: 'imported', module: 'env', name: 'memory', shared });
      const module = new WebAssembly.Module(bytes);
      expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
      const memory = new WebAssembly.Memory(shared ? { initial: 1, maximum: 65536, shared } : { initial: 1 });
      expect(() => new WebAssembly.Instance(module, { env: { memory } })).not.toThrow();
    }
  });

  it('runs the control-flow shapes as their JS counterparts', () => {
    // count(n): a while loop, an until loop and a do-while each count their passes; ifThen/ifElse sort n.
    // Locals: n 0, passes 1, i 2.
    const zero = (i: number) => [...i32c(0), ...set(i)];
    const body = [
      ...zero(1), ...zero(2),
      ...whileLoop([...get(2), ...get(0), op.ltS], [...bump(1, i32c(1)), ...bump(2, i32c(1))]),
      ...store(0, 1),
      ...zero(1), ...zero(2),
      ...untilLoop([...get(2), ...get(0), op.geS], [...bump(1, i32c(1)), ...bump(2, i32c(1))]),
      ...store(1, 1),
      ...zero(1), ...zero(2),
      ...doWhile([...bump(1, i32c(1)), ...bump(2, i32c(1))], [...get(2), ...get(0), op.ltS]),
      ...store(2, 1),
      ...zero(1),
      ...ifThen([...get(0), ...i32c(2), op.gtS], bump(1, i32c(10))),
      ...ifElse([...get(0), op.eqz], bump(1, i32c(100)), bump(1, i32c(1000))),
      ...store(3, 1),
      ...zero(1),
      ...forUpTo(2, 0, 3, bump(1, i32c(1))), // i = 0, 3, 6, … below n: ⌈n / 3⌉ passes
      ...store(4, 1),
    ];
    const { fn, i32 } = instantiate([{ name: 'count', params: [I32], locals: [[2, I32]], body }]);
    for (const n of [0, 1, 3, 7]) {
      fn['count']?.(n);
      // A do-while runs once even when its condition is false from the start.
      expect(Array.from(i32.subarray(0, 5)), `n = ${n}`).toEqual([
        n, n, Math.max(n, 1), (n > 2 ? 10 : 0) + (n === 0 ? 100 : 1000), Math.ceil(n / 3),
      ]);
    }
  });

  it('runs the memory and SIMD instructions the kernels use: offsets, masks, i64 shifts', () => {
    // masked(src, dst): dst[0..3] = src[0..3] where src[4..7] > 0, else 0 (v128, offset 16);
    // dst[4] = (u64 at src) >> 33 truncated to i32; dst[5] = max(src[0], 0) + 0.5.
    const body = [
      ...get(1),
      ...get(0), ...mem.v128Load(), ...get(0), ...mem.v128Load(16), ...simdOp.v128Zero, ...simdOp.f32x4Gt, ...simdOp.v128And,
      ...mem.v128Store(),
      ...get(1), ...get(0), ...mem.i64Load(0, 2), ...i32c(33), op.extendU, op.i64ShrU, op.wrap, 0x36, 2, 16, // i32.store offset 16
      ...get(1), ...get(0), ...mem.f32Load(), ...f32c(0), op.f32Max, ...f32c(0.5), op.f32Add, ...mem.f32Store(20),
    ];
    const { fn, f32, i32 } = instantiate([{ name: 'masked', params: [I32, I32], locals: [], body }]);
    f32.set([1.5, -2, 3, 4, 1, 0, -1, 2], 0);
    fn['masked']?.(0, 64);
    expect(Array.from(f32.subarray(16, 20))).toEqual([1.5, 0, 0, 4]);
    const u64 = new BigUint64Array(i32.buffer, 0, 1)[0] as bigint;
    expect(i32[20]).toBe(Number(BigInt.asIntN(32, u64 >> 33n)));
    expect(f32[21]).toBe(2);
  });
});

describe('instancePerMemory', () => {
  it('instantiates once per memory, on an unshared or a shared one, and runs there', async () => {
    // poke(p): mem32[p] = 7
    const bytesFor: boolean[] = [];
    const bytes = (shared: boolean) => {
      bytesFor.push(shared);
      const body = [...get(0), ...i32c(7), 0x36, 2, 0]; // i32.store
      return assembleModule([{ name: 'poke', params: [I32], locals: [], body }], { kind: 'imported', module: 'env', name: 'memory', shared });
    };
    const on = instancePerMemory<{ poke(p: number): void }>(bytes);
    const plain = new WebAssembly.Memory({ initial: 1 });
    const shared = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
    const first = on(plain);
    expect(on(plain)).toBe(first);
    (await first).poke(8);
    (await on(shared)).poke(4);
    expect(new Int32Array(plain.buffer)[2]).toBe(7);
    expect(new Int32Array(shared.buffer)[1]).toBe(7);
    expect(bytesFor).toEqual([false, true]);
  });
});
