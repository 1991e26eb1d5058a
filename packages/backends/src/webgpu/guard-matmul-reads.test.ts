import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectClose } from '@learnability/core/testing';
import { describeEachBackend } from '../testing/index.js';
import { referenceMatMul, seededValues } from '../test-support/reference.js';
import { matMulReadFnSource } from '@tensorflow/tfjs-backend-webgpu/dist/matmul_packed_webgpu.js';
import { guardReadB } from './guard-matmul-reads.js';

describe('guardReadB', () => {
  const source = (type: string) => `
  fn mm_readB(batch: i32, row: i32, col: i32) -> ${type} {
    var value = ${type}(0.0);
    value = getB(batch, row, col);
    return value;
  }
  fn mm_write(batch: i32, row: i32, col: i32, valueIn: ${type}) {}`;

  for (const type of ['f32', 'vec4<f32>']) {
    it(`wraps a ${type} mm_readB in one that returns 0 past K, and keeps the rest`, () => {
      const code = guardReadB(source(type), 'matMulPacked_x');
      expect(code).toContain(`fn mm_readB_unguarded(batch: i32, row: i32, col: i32) -> ${type} {`);
      expect(code).toContain(`fn mm_readB(batch: i32, row: i32, col: i32) -> ${type} {`);
      expect(code).toContain(`if (row >= uniforms.dimInner) {\n      return ${type}(0.0);`);
      expect(code).toContain('return mm_readB_unguarded(batch, row, col);');
      expect(code).toContain(`fn mm_write(batch: i32, row: i32, col: i32, valueIn: ${type}) {}`);
      expect(code.match(/fn mm_readB\(/g)).toHaveLength(1);
    });
  }

  // The source tfjs-backend-webgpu 4.22 itself writes (every matMul program reads B through it),
  // so a tfjs upgrade that changes it fails here on any machine, not only where a GPU runs.
  it("finds and guards mm_readB in tfjs's own matMulReadFnSource, for each transpose and vec4", () => {
    for (const [transposeA, transposeB, component] of [
      [false, false, 1],
      [true, false, 1],
      [false, true, 1],
      [true, true, 1],
      [false, false, 4],
      [false, true, 4],
    ] as const) {
      const code = guardReadB(
        matMulReadFnSource(transposeA, transposeB, false, false, false, component),
        'matMulPacked_x',
      );
      const type = component === 4 ? 'vec4<f32>' : 'f32';
      expect(code).toContain(`fn mm_readB_unguarded(batch: i32, row: i32, col: i32) -> ${type} {`);
      expect(code).toContain(`return ${type}(0.0);`);
      expect(guardReadB(code, 'matMulPacked_x'), 'guarding twice changes nothing').toBe(code);
    }
  });

  it('throws, naming the program, where the source has no mm_readB of that form', () => {
    expect(() => guardReadB('fn mm_readA() {}', 'matMulReduce_x')).toThrow(
      /matMul program matMulReduce_x has no mm_readB .*must be updated/,
    );
  });
});

/** tfjs-backend-webgpu's MatMulProgramType: which program a batched matMul runs (-1: its own choice). */
const PROGRAMS = { auto: -1, reduce: 0, smallOutput: 2, packed: 3 } as const;

/** [A shape, B shape, transposeA, transposeB]: small (reduce), tall-thin (small output), vec4 and odd K (packed). */
const CASES: [number[], number[], boolean, boolean][] = [
  [[3, 4, 5], [3, 5, 6], false, false],
  [[3, 128, 4], [3, 4, 16], false, false],
  [[3, 128, 4], [3, 16, 4], false, true],
  [[3, 4, 128], [3, 4, 16], true, false],
  [[3, 64, 36], [3, 36, 64], false, false],
  [[3, 33, 7], [3, 7, 9], false, false],
];

/** `program` forced on webgpu for the duration of `fn`; elsewhere `fn` alone. */
async function withProgram<T>(backend: string, program: number, fn: () => Promise<T>): Promise<T> {
  if (backend !== 'webgpu') return fn();
  const flag = 'WEBGPU_MATMUL_PROGRAM_TYPE';
  const before = tf.env().getNumber(flag);
  tf.env().set(flag, program);
  try {
    return await fn();
  } finally {
    tf.env().set(flag, before);
  }
}

describeEachBackend('batched matMul', (backend) => {
  const programs = backend === 'webgpu' ? Object.entries(PROGRAMS) : [['auto', -1] as const];
  for (const [program, type] of programs) {
    for (const poison of [Number.NaN, Number.POSITIVE_INFINITY]) {
      it(`keeps batches apart: ${poison} in batch 1 of B leaves batches 0 and 2 exact (${program} program)`, async () => {
        for (const [aShape, bShape, transposeA, transposeB] of CASES) {
          const [, aRows = 0, aCols = 0] = aShape;
          const [, bRows = 0, bCols = 0] = bShape;
          // The reduce program runs a workgroup per output entry: only small products.
          const [m, n] = [transposeA ? aCols : aRows, transposeB ? bRows : bCols];
          if (program === 'reduce' && 3 * m * n > 4096) continue;
          const a = seededValues(aShape, 1);
          const b = seededValues(bShape, 2);
          b.fill(poison, bRows * bCols, 2 * bRows * bCols);
          const got = await withProgram(backend, type, async () => {
            const c = tf.tidy(() =>
              tf.matMul(
                tf.tensor3d(a, aShape as [number, number, number]),
                tf.tensor3d(b, bShape as [number, number, number]),
                transposeA,
                transposeB,
              ),
            );
            try {
              return await c.data();
            } finally {
              c.dispose();
            }
          });
          const want = referenceMatMul(a, aRows, aCols, b, bRows, bCols, 3, transposeA, transposeB);
          const per = want.length / 3;
          const what = `${aShape}·${bShape} (${transposeA}, ${transposeB})`;
          for (const batch of [0, 2]) {
            const slice = (x: ArrayLike<number>) => Array.from(x).slice(batch * per, (batch + 1) * per);
            await expectClose(slice(got), slice(want), { atol: 1e-4, rtol: 1e-4, what: `${what} batch ${batch}` });
          }
        }
      });
    }
  }

  // webgpu alone: tfjs-backend-wasm 4.22's fused matMul is wrong for batch > 1 with a bias, NaN or
  // not (max |Δ| 2.9 on these shapes; nothing in learnability calls tf.fused.matMul).
  it.runIf(backend === 'webgpu')('keeps batches apart in a fused matMul with bias and relu', async () => {
    const [aShape, bShape] = [
      [3, 128, 4],
      [3, 4, 16],
    ] as const;
    const a = seededValues(aShape, 3);
    const b = seededValues(bShape, 4);
    const bias = seededValues([16], 5);
    b.fill(Number.NaN, 4 * 16, 2 * 4 * 16);
    const c = tf.tidy(() =>
      tf.fused.matMul({
        a: tf.tensor3d(a, [...aShape]),
        b: tf.tensor3d(b, [...bShape]),
        bias: tf.tensor1d(bias),
        activation: 'relu',
      }),
    );
    const got = await c.data();
    c.dispose();
    const want = Array.from(referenceMatMul(a, 128, 4, b, 4, 16, 3, false, false), (v, i) =>
      Math.max(v + (bias[i % 16] ?? 0), 0),
    );
    for (const batch of [0, 2]) {
      const slice = (x: ArrayLike<number>) => Array.from(x).slice(batch * 2048, (batch + 1) * 2048);
      await expectClose(slice(got), slice(want), { atol: 1e-4, rtol: 1e-4, what: `fused batch ${batch}` });
    }
  });

  it.runIf(backend === 'webgpu')('runs the split-K program (batch 1, K ≥ 2000) with its guard, exactly', async () => {
    const [m, k, n] = [8, 2050, 12];
    const a = seededValues([m, k], 6);
    const b = seededValues([k, n], 7);
    const got = await withProgram(backend, 1, async () => {
      const c = tf.tidy(() => tf.matMul(tf.tensor2d(a, [m, k]), tf.tensor2d(b, [k, n])));
      try {
        return await c.data();
      } finally {
        c.dispose();
      }
    });
    await expectClose(got, referenceMatMul(a, m, k, b, k, n, 1, false, false), {
      atol: 1e-3,
      rtol: 1e-4,
      what: 'split-K',
    });
  });
});
