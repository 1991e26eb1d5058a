/**
 * The BatchMatMul gradient, with explicit transposes on tfjs-wasm's own BatchMatMul.
 *
 * tfjs-core's default gradient (gradients/BatchMatMul_grad.ts) computes dA and dB with
 * `matMul(x, y, transposeA, transposeB)`. tfjs-wasm's own kernel runs a flagged matMul 10-20x
 * slower than an explicit `transpose` + plain matMul (measured: (64×512)ᵀ·(64×512) 25.7 ms
 * flagged, 2.3 ms explicit), while on cpu and webgpu the explicit form is 10-30% slower. So on
 * that kernel every flag becomes an explicit transpose of the last two axes; elsewhere the flags
 * stay. Our wasm BatchMatMul (wasm/batched-mat-mul.ts, installed by `setupBackend`) takes flags at
 * no extra cost: its gemm reads a transposed left operand through strides, with the same sums in
 * the same order as on a transposed copy, and it transposes anything else itself. With it, the
 * flags stay too: (1152×128)ᵀ·(1152×32) takes 0.33 ms flagged and 0.63 ms explicit, the
 * transpose alone 0.57 ms. The formulas are the default gradient's, term for term.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs-core';
import { hasBatchedMatMul } from '../wasm/batched-mat-mul.js';

/** (..., M, N) -> (..., N, M). */
function swapLastTwo(x: Tensor): Tensor {
  const perm = x.shape.map((_, i) => i);
  perm[x.rank - 2] = x.rank - 1;
  perm[x.rank - 1] = x.rank - 2;
  return tf.transpose(x, perm);
}

/** True where flagged matMuls are slow, read when the gradient runs (the backend or its kernel may change). */
function explicitTransposes(): boolean {
  return tf.getBackend() === 'wasm' && !hasBatchedMatMul();
}

/** `matMul(x, y, tx, ty)`, with each flag done as an explicit transpose on wasm. */
function matMul(x: Tensor, y: Tensor, tx: boolean, ty: boolean): Tensor {
  if (!explicitTransposes()) return tf.matMul(x, y, tx, ty);
  if (tx && ty) return swapLastTwo(tf.matMul(y, x)); // xᵀ yᵀ = (y x)ᵀ: one transpose, not two
  return tf.matMul(tx ? swapLastTwo(x) : x, ty ? swapLastTwo(y) : y);
}

function flag(attrs: NamedAttrMap, name: string): boolean {
  return attrs[name] === true;
}

/** The gradient config `loadGradients` registers in place of tfjs-core's. */
export const batchMatMulGradConfig: GradConfig = {
  kernelName: tf.BatchMatMul,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved, attrs) => {
    const [a, b] = saved;
    if (Array.isArray(dy) || a === undefined || b === undefined) {
      throw new Error(`BatchMatMul gradient: expected one dy and saved [a, b], got ${saved.length} saved tensors`);
    }
    const transposeA = flag(attrs, 'transposeA');
    const transposeB = flag(attrs, 'transposeB');
    // C = op(A) op(B), op = transpose of the last two axes where flagged.
    if (!transposeA && !transposeB) {
      return { a: () => matMul(dy, b, false, true), b: () => matMul(a, dy, true, false) };
    }
    if (!transposeA && transposeB) {
      return { a: () => matMul(dy, b, false, false), b: () => matMul(dy, a, true, false) };
    }
    if (transposeA && !transposeB) {
      return { a: () => matMul(b, dy, false, true), b: () => matMul(a, dy, false, false) };
    }
    return { a: () => matMul(b, dy, true, true), b: () => matMul(dy, a, true, true) };
  },
};

/** Replace the registered BatchMatMul gradient (the registry is global) with the one above. */
export function registerBatchMatMulGradient(): void {
  tf.registerGradient(batchMatMulGradConfig);
}
