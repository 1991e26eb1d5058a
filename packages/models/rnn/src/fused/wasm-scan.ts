/**
 * The wasm implementations of scan.ts's kernels as plug-ins, in place on the tfjs-wasm heap. A
 * step is one product per replica with `@learnability/wasm-asm/gemm` (which adds u_t, or a_t,
 * in the same pass), and one SIMD pass over the step's R·B·n floats (wasm-gates.ts): the ReLU
 * forward, gate ⊙ g back. Back, each w_r is transposed once per call. Scratch is freed before
 * returning; everything runs on the calling thread.
 */
import { wasmByteOffset, wasmHeapPlugin } from '@learnability/core';
import type { KernelPlugin, WasmTensorHeap } from '@learnability/core';
import { gemmOnMemory } from '@learnability/wasm-asm/gemm';
import type { GemmExports } from '@learnability/wasm-asm/gemm';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { RNN_SCAN, RNN_SCAN_BACK } from '../scan.js';
import { scanSizes } from './scan-inputs.js';
import { gatesOnMemory } from './wasm-gates.js';
import type { GateRoutines } from './wasm-gates.js';

const FLOAT = 4;

function scanKernels(gemm: GemmExports, gates: GateRoutines, memory: WebAssembly.Memory): Record<string, KernelFunc> {
  /** out (B, n) = left (B, n) · right (n, n) + add (B, n), all rows of n floats; byte addresses. */
  const product = (left: number, right: number, add: number, out: number, B: number, n: number) =>
    gemm.gemm(left, n * FLOAT, FLOAT, right, n * FLOAT, B, n, n, out, n * FLOAT, add, 0, 0, 1, 1, 0);
  const floats = (at: number, count: number) => new Float32Array(memory.buffer, at, count);
  // The SIMD passes need four floats; a smaller step (R·B·n < 4) loops in JS.
  const relu = (z: number, h: number, count: number) => {
    if (count >= 4) return gates.relu(z, h, count);
    const [zs, hs] = [floats(z, count), floats(h, count)];
    for (let i = 0; i < count; i++) hs[i] = Math.max(zs[i] as number, 0);
  };
  const times = (a: number, b: number, out: number, count: number) => {
    if (count >= 4) return gates.product(a, b, out, count);
    const [as, bs, outs] = [floats(a, count), floats(b, count), floats(out, count)];
    for (let i = 0; i < count; i++) outs[i] = (as[i] as number) * (bs[i] as number);
  };

  return {
    [RNN_SCAN]: ({ inputs, backend }) => {
      const { u, w } = inputs as Record<'u' | 'w', TensorInfo>;
      const { T, R, B, n, step } = scanSizes(RNN_SCAN, inputs as Record<string, TensorInfo>, ['u']);
      const heap = backend as WasmTensorHeap;
      const [z, h] = [heap.makeOutput([...u.shape], 'float32'), heap.makeOutput([...u.shape], 'float32')];
      const [pU, pW, pZ, pH] = [u, w, z, h].map((x) => wasmByteOffset(heap, x)) as [number, number, number, number];
      const stepBytes = step * FLOAT;
      for (let t = 0; t < T; t++) {
        const [zt, ut] = [pZ + t * stepBytes, pU + t * stepBytes];
        if (t === 0)
          new Uint8Array(memory.buffer).copyWithin(zt, ut, ut + stepBytes); // h_{−1} = 0
        else
          for (let r = 0; r < R; r++) {
            const block = r * B * n * FLOAT;
            product(pH + (t - 1) * stepBytes + block, pW + r * n * n * FLOAT, ut + block, zt + block, B, n);
          }
        relu(zt, pH + t * stepBytes, step);
      }
      return [z, h];
    },
    [RNN_SCAN_BACK]: ({ inputs, backend }) => {
      const { a, gate, w } = inputs as Record<'a' | 'gate' | 'w', TensorInfo>;
      const { T, R, B, n, step } = scanSizes(RNN_SCAN_BACK, inputs as Record<string, TensorInfo>, ['a', 'gate']);
      const heap = backend as WasmTensorHeap;
      const g = heap.makeOutput([...a.shape], 'float32');
      const gated = heap.makeOutput([step], 'float32'); // gate_{t+1} ⊙ g_{t+1}
      const wt = heap.makeOutput([R, n, n], 'float32'); // each w_rᵀ
      const [pA, pGate, pW, pG, pGated, pWt] = [a, gate, w, g, gated, wt].map((x) => wasmByteOffset(heap, x)) as [
        number,
        number,
        number,
        number,
        number,
        number,
      ];
      for (let r = 0; r < R; r++) {
        const at = r * n * n * FLOAT;
        gemm.transpose(pW + at, n * FLOAT, pWt + at, n * FLOAT, n, n, 0);
      }
      const stepBytes = step * FLOAT;
      const last = (T - 1) * stepBytes;
      new Uint8Array(memory.buffer).copyWithin(pG + last, pA + last, pA + last + stepBytes); // g_{T−1} = a_{T−1}
      for (let t = T - 2; t >= 0; t--) {
        times(pGate + (t + 1) * stepBytes, pG + (t + 1) * stepBytes, pGated, step);
        for (let r = 0; r < R; r++) {
          const block = r * B * n * FLOAT;
          const out = pG + t * stepBytes + block;
          product(pGated + block, pWt + r * n * n * FLOAT, pA + t * stepBytes + block, out, B, n);
        }
      }
      for (const x of [gated, wt]) heap.disposeData(x.dataId);
      return [g];
    },
  };
}

/**
 * One plug-in per kernel, compiling (once per heap) the product and the passes on the wasm backend's heap.
 * Without WebAssembly SIMD, or a backend that does not expose its heap, nothing registers and the
 * recurrences compose TF.js ops.
 */
export const WASM_SCAN_KERNELS: readonly KernelPlugin[] = [RNN_SCAN, RNN_SCAN_BACK].map((kernelName) =>
  wasmHeapPlugin(kernelName, async (memory) =>
    scanKernels((await gemmOnMemory(memory)).exports, await gatesOnMemory(memory), memory),
  ),
);
