/**
 * The wasm implementations of gated-update.ts's kernels as plug-ins: each reads its inputs in
 * place on the tfjs-wasm heap and writes new outputs there, by gate-routines.ts, on the calling
 * thread.
 */
import { wasmByteOffset, wasmHeapPlugin } from '@learnability/core';
import type { KernelPlugin, WasmTensorHeap } from '@learnability/core';
import { util } from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { GATED_UPDATE, GATED_UPDATE_GRAD } from '../../gated-update.js';
import { gateRoutinesOn } from './gate-routines.js';
import type { GateRoutines } from './gate-routines.js';
import { fail } from '../unroll-geometry.js';

/** The state's cells and channels C (a multiple of 4), each input float32 and shaped as the contract says. */
function gateShape(kernelName: string, inputs: Record<string, TensorInfo>, wide: TensorInfo | null) {
  const s = inputs.s as TensorInfo;
  for (const [name, t] of Object.entries(inputs))
    if (t.dtype !== 'float32') fail(kernelName, `a float32 input "${name}"`);
  const C = s.shape.at(-1) as number;
  if (C % 4 !== 0) fail(kernelName, `s (…, C) with C a multiple of 4, but got s (${s.shape})`);
  if (wide && wide.shape.join() !== [...s.shape.slice(0, -1), 2 * C].join())
    fail(kernelName, `z (…, 2C) for s (…, C), but got s (${s.shape}) and z (${wide.shape})`);
  for (const [name, t] of Object.entries(inputs))
    if (t !== wide && t.shape.join() !== s.shape.join())
      fail(kernelName, `${name} shaped like s (${s.shape}), but got (${t.shape})`);
  return { s, cells: util.sizeFromShape(s.shape) / C, C };
}

function gateKernels(routines: GateRoutines): Record<string, KernelFunc> {
  return {
    [GATED_UPDATE]: ({ inputs, backend }) => {
      const z = inputs.z as TensorInfo;
      const { s, cells, C } = gateShape(GATED_UPDATE, inputs as Record<string, TensorInfo>, z);
      const w = backend as WasmTensorHeap;
      const made = () => w.makeOutput([...s.shape], 'float32');
      const [out, u, t] = [made(), made(), made()];
      const at = (x: TensorInfo) => wasmByteOffset(w, x);
      routines.gatedUpdate(at(s), at(z), at(out), at(u), at(t), cells, C);
      return [out, u, t];
    },
    [GATED_UPDATE_GRAD]: ({ inputs, backend }) => {
      const { s, cells, C } = gateShape(GATED_UPDATE_GRAD, inputs as Record<string, TensorInfo>, null);
      const { u, t, dy } = inputs as Record<'u' | 't' | 'dy', TensorInfo>;
      const w = backend as WasmTensorHeap;
      const ds = w.makeOutput([...s.shape], 'float32');
      const dz = w.makeOutput([...s.shape.slice(0, -1), 2 * C], 'float32');
      const at = (x: TensorInfo) => wasmByteOffset(w, x);
      routines.gatedUpdateGrad(at(s), at(u), at(t), at(dy), at(ds), at(dz), cells, C);
      return [ds, dz];
    },
  };
}

/**
 * One plug-in per kernel, compiling (once per heap) the routines on the wasm backend's heap.
 * Without WebAssembly SIMD, or a backend that does not expose its heap, nothing registers and
 * the gate composes TF.js ops (gated-update.ts).
 */
export const WASM_GATE_KERNELS: readonly KernelPlugin[] = [GATED_UPDATE, GATED_UPDATE_GRAD].map((kernelName) =>
  wasmHeapPlugin(kernelName, async (memory) => gateKernels(await gateRoutinesOn(memory))),
);
