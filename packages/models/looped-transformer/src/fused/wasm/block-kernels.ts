/**
 * The wasm implementations of block-kernels.ts (GELU, LayerNorm and causal attention, each way)
 * as plug-ins: each reads its inputs in place on the tfjs-wasm heap and writes new outputs there,
 * by the SIMD routines of block-routines.ts and attention-routines.ts, on the calling thread.
 */
import { wasmByteOffset, wasmHeapPlugin } from '@learnability/core';
import type { KernelPlugin, WasmTensorHeap } from '@learnability/core';
import { util } from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { ATTENTION, ATTENTION_GRAD, GELU, GELU_GRAD, LAYER_NORM, LAYER_NORM_GRAD } from '../block-kernels.js';
import type { AttentionAttrs, LayerNormAttrs } from '../block-kernels.js';
import { attentionRoutinesOn } from './attention-routines.js';
import type { AttentionRoutines } from './attention-routines.js';
import { blockRoutinesOn } from './block-routines.js';
import type { BlockRoutines } from './block-routines.js';

const sizeOf = (t: TensorInfo) => util.sizeFromShape(t.shape);

function checkFloat32(kernelName: string, inputs: Record<string, TensorInfo | undefined>): void {
  for (const [name, t] of Object.entries(inputs))
    if (t?.dtype !== 'float32') throw new Error(`${kernelName}: expected a float32 input "${name}"`);
}

/** Rows and width of LayerNorm's x (R, …, D) against γ (R, 1, D); D must be a multiple of 4. */
function layerNormShape(kernelName: string, x: TensorInfo, gamma: TensorInfo) {
  const [R, width] = [x.shape[0] as number, x.shape.at(-1) as number];
  if (gamma.shape.join() !== `${R},1,${width}` || width % 4 !== 0 || x.shape.length < 2)
    throw new Error(
      `${kernelName}: expected x (R, …, D) with D a multiple of 4 and γ (R, 1, D), but got x (${x.shape}) and γ (${gamma.shape})`,
    );
  return { R, rows: sizeOf(x) / (R * width), width };
}

/** Sequences, tokens, heads and head size of ATTENTION's qkv (S·T, 3D); hd must be a multiple of 4. */
function attentionShape(kernelName: string, qkv: TensorInfo, { heads, tokens }: AttentionAttrs) {
  const [rows, threeD] = qkv.shape as [number, number];
  const hd = threeD / (3 * heads);
  if (qkv.shape.length !== 2 || rows % tokens !== 0 || !Number.isInteger(hd) || hd % 4 !== 0)
    throw new Error(
      `${kernelName}: expected qkv (S·T, 3D) with T = ${tokens} and D/heads a multiple of 4 (heads = ${heads}), but got (${qkv.shape})`,
    );
  return { S: rows / tokens, T: tokens, heads, hd, tp: (tokens + 3) & ~3 };
}

function attentionKernels(routines: AttentionRoutines): Record<string, KernelFunc> {
  return {
    [ATTENTION]: ({ inputs, attrs, backend }) => {
      const { qkv } = inputs as { qkv: TensorInfo };
      checkFloat32(ATTENTION, { qkv });
      const { S, T, heads, hd, tp } = attentionShape(ATTENTION, qkv, attrs as AttentionAttrs);
      const w = backend as WasmTensorHeap;
      const out = w.makeOutput([S * T, heads * hd], 'float32');
      const probs = w.makeOutput([S * heads, T, tp], 'float32');
      const at = (t: TensorInfo) => wasmByteOffset(w, t);
      routines.attention(at(qkv), at(out), at(probs), S, T, heads, hd, 1 / Math.sqrt(hd));
      return [out, probs];
    },
    [ATTENTION_GRAD]: ({ inputs, attrs, backend }) => {
      const { dy, qkv, probs } = inputs as Record<'dy' | 'qkv' | 'probs', TensorInfo>;
      checkFloat32(ATTENTION_GRAD, { dy, qkv, probs });
      const { S, T, heads, hd, tp } = attentionShape(ATTENTION_GRAD, qkv, attrs as AttentionAttrs);
      const w = backend as WasmTensorHeap;
      const dqkv = w.makeOutput([...qkv.shape], 'float32');
      const scratch = w.makeOutput([tp], 'float32');
      const at = (t: TensorInfo) => wasmByteOffset(w, t);
      routines.attentionGrad(at(dy), at(qkv), at(probs), at(dqkv), at(scratch), S, T, heads, hd, 1 / Math.sqrt(hd));
      w.disposeData(scratch.dataId);
      return dqkv;
    },
  };
}

function geluAndLayerNormKernels(routines: BlockRoutines): Record<string, KernelFunc> {
  return {
    [GELU]: ({ inputs, backend }) => {
      const { x } = inputs as { x: TensorInfo };
      checkFloat32(GELU, { x });
      const w = backend as WasmTensorHeap;
      if (sizeOf(x) < 4) throw new Error(`${GELU}: expected at least 4 elements, but got ${sizeOf(x)}`);
      const y = w.makeOutput([...x.shape], 'float32');
      routines.gelu(wasmByteOffset(w, x), wasmByteOffset(w, y), sizeOf(x));
      return y;
    },
    [GELU_GRAD]: ({ inputs, backend }) => {
      const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
      checkFloat32(GELU_GRAD, { x, dy });
      const w = backend as WasmTensorHeap;
      if (sizeOf(x) < 4 || sizeOf(dy) !== sizeOf(x))
        throw new Error(`${GELU_GRAD}: expected x and dy of one shape with at least 4 elements`);
      const dx = w.makeOutput([...x.shape], 'float32');
      routines.geluGrad(wasmByteOffset(w, x), wasmByteOffset(w, dy), wasmByteOffset(w, dx), sizeOf(x));
      return dx;
    },
    [LAYER_NORM]: ({ inputs, attrs, backend }) => {
      const { x, gamma, beta } = inputs as { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo };
      checkFloat32(LAYER_NORM, { x, gamma, beta });
      const { R, rows, width } = layerNormShape(LAYER_NORM, x, gamma);
      const w = backend as WasmTensorHeap;
      const y = w.makeOutput([...x.shape], 'float32');
      const stats = w.makeOutput([R * rows, 2], 'float32');
      const at = (t: TensorInfo) => wasmByteOffset(w, t);
      const { epsilon } = attrs as LayerNormAttrs;
      routines.layerNorm(at(x), at(gamma), at(beta), at(y), at(stats), R, rows, width, epsilon);
      return [y, stats];
    },
    [LAYER_NORM_GRAD]: ({ inputs, backend }) => {
      const { dy, x, gamma, stats } = inputs as Record<'dy' | 'x' | 'gamma' | 'stats', TensorInfo>;
      checkFloat32(LAYER_NORM_GRAD, { dy, x, gamma, stats });
      const { R, rows, width } = layerNormShape(LAYER_NORM_GRAD, x, gamma);
      const w = backend as WasmTensorHeap;
      const dx = w.makeOutput([...x.shape], 'float32');
      const dgamma = w.makeOutput([R, 1, width], 'float32');
      const dbeta = w.makeOutput([R, 1, width], 'float32');
      const at = (t: TensorInfo) => wasmByteOffset(w, t);
      routines.layerNormGrad(at(dy), at(x), at(gamma), at(stats), at(dx), at(dgamma), at(dbeta), R, rows, width);
      return [dx, dgamma, dbeta];
    },
  };
}

/**
 * One plug-in per kernel; each compiles (once per heap) its routines on the wasm backend's heap.
 * Without WebAssembly SIMD, or a backend that does not expose its heap, nothing registers and the
 * block composes the ops from TF.js's (gelu.ts, layer-norm.ts, attention.ts).
 */
export const WASM_BLOCK_KERNELS: readonly KernelPlugin[] = [
  ...[GELU, GELU_GRAD, LAYER_NORM, LAYER_NORM_GRAD].map((kernelName) =>
    wasmHeapPlugin(kernelName, async (memory) => geluAndLayerNormKernels(await blockRoutinesOn(memory))),
  ),
  ...[ATTENTION, ATTENTION_GRAD].map((kernelName) =>
    wasmHeapPlugin(kernelName, async (memory) => attentionKernels(await attentionRoutinesOn(memory))),
  ),
];
