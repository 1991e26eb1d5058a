/**
 * The scan kernels' two elementwise passes in WebAssembly SIMD on the tfjs-wasm heap (assembled
 * with `@learnability/wasm-asm`, one instance per heap), four floats at a time; the last vector
 * ends at n and may overlap the one before, so n ≥ 4 and outputs do not overlap inputs. Pointers
 * in bytes, n in floats. A JS loop over a step's floats took most of a scan (2.3 ms of the
 * forward's 3.2 at T = 100, 50 × 64 states: Math.max on data of either sign mispredicts).
 *
 * relu(z, h, n)          h = max(z, 0): f32x4.max keeps NaN, as Math.max and tf.relu do
 * product(a, b, out, n)  out = a ⊙ b
 */
import { assembleModule, get, I32, instancePerMemory, mem, op, overVectors, simdOp } from '@learnability/wasm-asm';
import type { AsmFunction, Code } from '@learnability/wasm-asm';

export interface GateRoutines {
  relu(z: number, h: number, n: number): void;
  product(a: number, b: number, out: number, n: number): void;
}

/** Pushes the f32x4 at local `base` + `offset`. */
const vector = (base: number, offset: Code): Code => [...get(base), ...offset, op.add, ...mem.v128Load(0, 2)];

/** Stores the f32x4 that `value` pushes at local `base` + `offset`. */
const store = (base: number, offset: Code, value: Code): Code => [
  ...get(base),
  ...offset,
  op.add,
  ...value,
  ...mem.v128Store(0, 2),
];

function reluFunction(): AsmFunction {
  // Parameters z 0, h 1, n 2; i32 locals last 3, at 4.
  const one = (offset: Code): Code => store(1, offset, [...vector(0, offset), ...simdOp.v128Zero, ...simdOp.f32x4Max]);
  return { name: 'relu', params: [I32, I32, I32], locals: [[2, I32]], body: overVectors(2, 3, 4, one) };
}

function productFunction(): AsmFunction {
  // Parameters a 0, b 1, out 2, n 3; i32 locals last 4, at 5.
  const one = (offset: Code): Code =>
    store(2, offset, [...vector(0, offset), ...vector(1, offset), ...simdOp.f32x4Mul]);
  return { name: 'product', params: [I32, I32, I32, I32], locals: [[2, I32]], body: overVectors(3, 4, 5, one) };
}

/** The routines instantiated on a heap's memory, once per memory. */
export const gatesOnMemory = instancePerMemory<GateRoutines>((shared) =>
  assembleModule([reluFunction(), productFunction()], { kind: 'imported', module: 'env', name: 'memory', shared }),
);
