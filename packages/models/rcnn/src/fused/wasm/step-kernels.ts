/**
 * The wasm implementations of fused-step.ts's kernels as plug-ins: the recurrent step's
 * convolution as one product per replica of the state's windows (im2col-routine.ts) with the
 * filter (`@learnability/wasm-asm/gemm`), the injection added in the same product, then the gated
 * update (gate-routines.ts); back, the gate's gradient, then ∂s and ∂w as two more products per
 * replica. Inputs are read in place on the tfjs-wasm heap; scratch blocks are freed before
 * returning. Everything runs on the calling thread.
 */
import { wasmByteOffset, wasmHeapPlugin } from '@learnability/core';
import type { KernelPlugin, WasmTensorHeap } from '@learnability/core';
import { gemmOnMemory } from '@learnability/wasm-asm/gemm';
import type { GemmExports } from '@learnability/wasm-asm/gemm';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { RCNN_STEP, RCNN_STEP_GRAD } from '../../fused-step.js';
import { gateRoutinesOn } from './gate-routines.js';
import type { GateRoutines } from './gate-routines.js';
import { im2colOn } from './im2col-routine.js';
import type { Im2colRoutine } from './im2col-routine.js';

const FLOAT = 4;

const fail = (kernelName: string, what: string) => {
  throw new Error(`${kernelName}: expected ${what}`);
};

/**
 * The step's sizes from s (R·B, H, W, C) and w (R, kh, kw, C, 2C), once every input is float32,
 * C a multiple of 4, the sides odd, and each other input shaped like s (`wide` ones with 2C).
 */
function stepGeometry(kernelName: string, inputs: Record<string, TensorInfo>, wide: readonly string[]) {
  for (const [name, x] of Object.entries(inputs))
    if (x.dtype !== 'float32') fail(kernelName, `a float32 input "${name}"`);
  const { s, w } = inputs as Record<'s' | 'w', TensorInfo>;
  const [RB, H, W, C] = s.shape as [number, number, number, number];
  const [R, kh, kw] = w.shape as [number, number, number];
  if (s.shape.length !== 4 || C % 4 !== 0)
    fail(kernelName, `s (R·B, H, W, C) with C a multiple of 4, but got (${s.shape})`);
  if (
    w.shape.length !== 5 ||
    RB % R !== 0 ||
    kh % 2 === 0 ||
    kw % 2 === 0 ||
    w.shape.slice(3).join() !== [C, 2 * C].join()
  )
    fail(kernelName, `w (R, kh, kw, C, 2C) with odd sides and R dividing ${RB}, C = ${C}, but got (${w.shape})`);
  for (const [name, x] of Object.entries(inputs)) {
    const want = name === 'w' ? w.shape : [RB, H, W, wide.includes(name) ? 2 * C : C];
    if (x.shape.join() !== want.join()) fail(kernelName, `${name} shaped (${want}), but got (${x.shape})`);
  }
  const rows = (RB / R) * H * W; // cells of one replica
  return { R, B: RB / R, H, W, C, kh, kw, taps: kh * kw, rows };
}

interface Routines {
  gemm: GemmExports;
  gate: GateRoutines;
  windows: Im2colRoutine;
}

function stepKernels({ gemm, gate, windows }: Routines): Record<string, KernelFunc> {
  return {
    [RCNN_STEP]: ({ inputs, backend }) => {
      const g = stepGeometry(RCNN_STEP, inputs as Record<string, TensorInfo>, ['inj']);
      const { s, inj, w } = inputs as Record<'s' | 'inj' | 'w', TensorInfo>;
      const heap = backend as WasmTensorHeap;
      const at = (x: TensorInfo) => wasmByteOffset(heap, x);
      const made = () => heap.makeOutput([...s.shape], 'float32');
      const [out, u, t] = [made(), made(), made()];
      const col = heap.makeOutput([g.rows * g.taps * g.C], 'float32'); // one replica's windows
      const z = heap.makeOutput([g.R * g.rows * 2 * g.C], 'float32');
      const [cBytes, zBytes, wBytes] = [g.C * FLOAT, 2 * g.C * FLOAT, g.taps * g.C * 2 * g.C * FLOAT];
      for (let r = 0; r < g.R; r++) {
        windows.im2col(at(s) + r * g.rows * cBytes, at(col), g.B, g.H, g.W, g.C, g.kh, g.kw, 0);
        // z_r = windows · w_r + inj_r: (rows, taps·C)·(taps·C, 2C)
        const zr = at(z) + r * g.rows * zBytes;
        const [left, right] = [at(col), at(w) + r * wBytes];
        gemm.gemm(
          left,
          g.taps * cBytes,
          FLOAT,
          right,
          zBytes,
          g.rows,
          g.taps * g.C,
          2 * g.C,
          zr,
          zBytes,
          at(inj) + r * g.rows * zBytes,
          0,
          0,
          1,
          1,
          0,
        );
      }
      gate.gatedUpdate(at(s), at(z), at(out), at(u), at(t), g.R * g.rows, g.C);
      heap.disposeData(col.dataId);
      heap.disposeData(z.dataId);
      return [out, u, t];
    },
    [RCNN_STEP_GRAD]: ({ inputs, backend }) => {
      const g = stepGeometry(RCNN_STEP_GRAD, inputs as Record<string, TensorInfo>, []);
      const { s, u, t, dy, w } = inputs as Record<'s' | 'u' | 't' | 'dy' | 'w', TensorInfo>;
      const heap = backend as WasmTensorHeap;
      const at = (x: TensorInfo) => wasmByteOffset(heap, x);
      const ds = heap.makeOutput([...s.shape], 'float32');
      const dz = heap.makeOutput([...s.shape.slice(0, -1), 2 * g.C], 'float32');
      const dw = heap.makeOutput([...w.shape], 'float32');
      const col = heap.makeOutput([g.rows * g.taps * 2 * g.C], 'float32'); // windows of ∂z, then of s
      const wt = heap.makeOutput([g.taps * 2 * g.C * g.C], 'float32'); // w_r with each tap transposed
      const [cBytes, zBytes, wBytes] = [g.C * FLOAT, 2 * g.C * FLOAT, g.taps * g.C * 2 * g.C * FLOAT];
      // ∂s = dy − dy⊙u (the gate's share), ∂z
      gate.gatedUpdateGrad(at(s), at(u), at(t), at(dy), at(ds), at(dz), g.R * g.rows, g.C);
      for (let r = 0; r < g.R; r++) {
        const [sr, dsr, dzr, wr] = [
          at(s) + r * g.rows * cBytes,
          at(ds) + r * g.rows * cBytes,
          at(dz) + r * g.rows * zBytes,
          at(w) + r * wBytes,
        ];
        // ∂s_r += flipped windows of ∂z_r · w_rᵀ: (rows, taps·2C)·(taps·2C, C)
        windows.im2col(dzr, at(col), g.B, g.H, g.W, 2 * g.C, g.kh, g.kw, 1);
        for (let tap = 0; tap < g.taps; tap++)
          gemm.transpose(wr + tap * g.C * zBytes, zBytes, at(wt) + tap * 2 * g.C * cBytes, cBytes, g.C, 2 * g.C, 0);
        gemm.gemm(
          at(col),
          g.taps * zBytes,
          FLOAT,
          at(wt),
          cBytes,
          g.rows,
          g.taps * 2 * g.C,
          g.C,
          dsr,
          cBytes,
          dsr,
          0,
          0,
          1,
          1,
          0,
        );
        // ∂w_r = windows of s_rᵀ · ∂z_r: (taps·C, rows)·(rows, 2C)
        windows.im2col(sr, at(col), g.B, g.H, g.W, g.C, g.kh, g.kw, 0);
        gemm.gemm(
          at(col),
          FLOAT,
          g.taps * cBytes,
          dzr,
          zBytes,
          g.taps * g.C,
          g.rows,
          2 * g.C,
          at(dw) + r * wBytes,
          zBytes,
          0,
          0,
          0,
          1,
          0,
          0,
        );
      }
      heap.disposeData(col.dataId);
      heap.disposeData(wt.dataId);
      return [ds, dz, dw];
    },
  };
}

/**
 * One plug-in per kernel, compiling (once per heap) the routines on the wasm backend's heap.
 * Without WebAssembly SIMD, or a backend that does not expose its heap, nothing registers and the
 * step composes TF.js ops.
 */
export const WASM_STEP_KERNELS: readonly KernelPlugin[] = [RCNN_STEP, RCNN_STEP_GRAD].map((kernelName) =>
  wasmHeapPlugin(kernelName, async (memory) => {
    const [{ exports: gemm }, gate, windows] = await Promise.all([
      gemmOnMemory(memory),
      gateRoutinesOn(memory),
      im2colOn(memory),
    ]);
    return stepKernels({ gemm, gate, windows });
  }),
);
