/**
 * The wasm implementations of fused-unroll.ts's kernels as plug-ins. Each step's convolution is
 * one product per replica of the state's windows (unroll-routines.ts' im2col) with the filter
 * (`@learnability/wasm-asm/gemm`), the injection added in the same product, then the gated
 * update (gate-routines.ts). Back, per step: the gate's gradient, ∂inj accumulated, ∂s as the
 * product of ∂z's flipped windows with the filter's transposed taps (transposed once per call),
 * ∂w accumulated as windows(s)ᵀ·∂z. Inputs are read in place on the tfjs-wasm heap; scratch
 * blocks are freed before returning. Everything runs on the calling thread.
 */
import { wasmByteOffset, wasmHeap, wasmHeapPlugin } from '@learnability/core';
import type { KernelPlugin, WasmTensorHeap } from '@learnability/core';
import { gemmOnMemory } from '@learnability/wasm-asm/gemm';
import type { GemmExports } from '@learnability/wasm-asm/gemm';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { RCNN_UNROLL, RCNN_UNROLL_GRAD } from '../../fused-unroll.js';
import type { RcnnUnrollAttrs } from '../../fused-unroll.js';
import { gateRoutinesOn } from './gate-routines.js';
import type { GateRoutines } from './gate-routines.js';
import { unrollRoutinesOn } from './unroll-routines.js';
import type { UnrollRoutines } from './unroll-routines.js';

const FLOAT = 4;

const fail = (kernelName: string, what: string) => {
  throw new Error(`${kernelName}: expected ${what}`);
};

/**
 * The sizes from a state (R·B, H, W, C) and w (R, kh, kw, C, 2C), once every input is float32, C a
 * multiple of 4, the sides odd, and each other input shaped as `want` gives it.
 */
function unrollGeometry(
  kernelName: string,
  inputs: Record<string, TensorInfo>,
  [stateName, state]: [string, readonly number[]],
  want: (name: string, C: number) => readonly number[] | null,
) {
  for (const [name, x] of Object.entries(inputs))
    if (x.dtype !== 'float32') fail(kernelName, `a float32 input "${name}"`);
  const [RB, H, W, C] = state as [number, number, number, number];
  const w = inputs.w as TensorInfo;
  const [R, kh, kw] = w.shape as [number, number, number];
  if (state.length !== 4 || C % 4 !== 0) fail(kernelName, `${stateName} with C a multiple of 4, but got (${state})`);
  if (w.shape.length !== 5 || RB % R !== 0 || kh % 2 === 0 || kw % 2 === 0 || `${w.shape.slice(3)}` !== `${C},${2 * C}`)
    fail(kernelName, `w (R, kh, kw, C, 2C) with odd sides and R dividing ${RB}, C = ${C}, but got (${w.shape})`);
  for (const [name, x] of Object.entries(inputs)) {
    const shape = want(name, C);
    if (shape && `${x.shape}` !== `${shape}`) fail(kernelName, `${name} shaped (${shape}), but got (${x.shape})`);
  }
  const rows = (RB / R) * H * W; // cells of one replica
  const [cBytes, zBytes] = [C * FLOAT, 2 * C * FLOAT];
  return { R, B: RB / R, H, W, C, kh, kw, taps: kh * kw, rows, cBytes, zBytes, wBytes: kh * kw * C * zBytes };
}
type Geometry = ReturnType<typeof unrollGeometry>;

interface Routines {
  gemm: GemmExports;
  gate: GateRoutines;
  unroll: UnrollRoutines;
}

function unrollKernels({ gemm, gate, unroll }: Routines): Record<string, KernelFunc> {
  /** z = conv(s, w_r) + inj for every replica r: one windows · filter product each, into z. */
  const preActivation = (g: Geometry, s: number, inj: number, w: number, z: number, col: number) => {
    for (let r = 0; r < g.R; r++) {
      unroll.im2col(s + r * g.rows * g.cBytes, col, g.B, g.H, g.W, g.C, g.kh, g.kw, 0);
      const zr = z + r * g.rows * g.zBytes;
      // (rows, taps·C)·(taps·C, 2C) + inj_r
      gemm.gemm(
        col,
        g.taps * g.cBytes,
        FLOAT,
        w + r * g.wBytes,
        g.zBytes,
        g.rows,
        g.taps * g.C,
        2 * g.C,
        zr,
        g.zBytes,
        inj + r * g.rows * g.zBytes,
        0,
        0,
        1,
        1,
        0,
      );
    }
  };

  return {
    [RCNN_UNROLL]: ({ inputs, backend, attrs }) => {
      const { steps, keep } = attrs as RcnnUnrollAttrs;
      const { s, inj, w } = inputs as Record<'s' | 'inj' | 'w', TensorInfo>;
      const g = unrollGeometry(
        RCNN_UNROLL,
        inputs as Record<string, TensorInfo>,
        ['s (R·B, H, W, C)', s.shape],
        (name, C) => (name === 'w' ? null : [...s.shape.slice(0, 3), name === 'inj' ? 2 * C : C]),
      );
      if (!Number.isInteger(steps) || steps < 1) fail(RCNN_UNROLL, `steps an integer ≥ 1, but got ${steps}`);
      const heap = backend as WasmTensorHeap;
      const at = (x: TensorInfo) => wasmByteOffset(heap, x);
      const stateBytes = g.R * g.rows * g.cBytes;
      const last = heap.makeOutput([...s.shape], 'float32');
      // With keep: step t's input state, u and tanh(a) in slot t of three stacks; without, two
      // scratch states taken in turn, and one u and one tanh(a) overwritten at every step.
      const stack = () => heap.makeOutput(keep ? [steps, ...s.shape] : [...s.shape], 'float32');
      const kept = [stack(), stack(), stack()];
      const [states, gates, candidates] = kept as [TensorInfo, TensorInfo, TensorInfo];
      const spare = keep ? null : stack(); // the other state of the two, without keep
      const col = heap.makeOutput([g.rows * g.taps * g.C], 'float32'); // one replica's windows
      const z = heap.makeOutput([g.R * g.rows * 2 * g.C], 'float32');
      const slot = (x: TensorInfo, t: number) => at(x) + (keep ? t * stateBytes : 0);
      const inputOf = (t: number) => (keep ? slot(states, t) : t % 2 === 0 ? at(states) : at(spare as TensorInfo));
      const memory = wasmHeap(backend) as WebAssembly.Memory;
      // s_0 = s: the state stack's (or the first scratch's) slot 0 holds it.
      new Uint8Array(memory.buffer).copyWithin(inputOf(0), at(s), at(s) + stateBytes);
      for (let t = 0; t < steps; t++) {
        const from = inputOf(t);
        preActivation(g, from, at(inj), at(w), at(z), at(col));
        const to = t === steps - 1 ? at(last) : inputOf(t + 1);
        gate.gatedUpdate(from, at(z), to, slot(gates, t), slot(candidates, t), g.R * g.rows, g.C);
      }
      for (const x of [col, z, ...(keep ? [] : [...kept, spare as TensorInfo])]) heap.disposeData(x.dataId);
      return keep ? [last, states, gates, candidates] : [last];
    },
    [RCNN_UNROLL_GRAD]: ({ inputs, backend }) => {
      const { states, gates, candidates, dy, w } = inputs as Record<
        'states' | 'gates' | 'candidates' | 'dy' | 'w',
        TensorInfo
      >;
      const stackShape = states.shape;
      const stateName = 'states (steps, R·B, H, W, C)';
      const g = unrollGeometry(
        RCNN_UNROLL_GRAD,
        inputs as Record<string, TensorInfo>,
        [stateName, stackShape.slice(1)],
        (name) => (name === 'w' ? null : name === 'dy' ? stackShape.slice(1) : stackShape),
      );
      const steps = stackShape[0] as number;
      const heap = backend as WasmTensorHeap;
      const at = (x: TensorInfo) => wasmByteOffset(heap, x);
      const stateBytes = g.R * g.rows * g.cBytes;
      const ds = heap.makeOutput([...dy.shape], 'float32'); // ∂s_t, from t = steps down to 0, in place
      const dinj = heap.makeOutput([...dy.shape.slice(0, 3), 2 * g.C], 'float32');
      const dw = heap.makeOutput([...w.shape], 'float32');
      const dz = heap.makeOutput([g.R * g.rows * 2 * g.C], 'float32');
      const col = heap.makeOutput([g.rows * g.taps * 2 * g.C], 'float32'); // windows of ∂z, then of s
      const wt = heap.makeOutput([g.R * g.taps * 2 * g.C * g.C], 'float32'); // each tap of w_r transposed
      const memory = wasmHeap(backend) as WebAssembly.Memory;
      new Uint8Array(memory.buffer).copyWithin(at(ds), at(dy), at(dy) + stateBytes);
      new Float32Array(memory.buffer, at(dinj), g.R * g.rows * 2 * g.C).fill(0);
      new Float32Array(memory.buffer, at(dw), g.R * g.taps * g.C * 2 * g.C).fill(0);
      const tapBytes = 2 * g.C * g.cBytes;
      for (let r = 0; r < g.R; r++)
        for (let tap = 0; tap < g.taps; tap++) {
          const from = at(w) + r * g.wBytes + tap * g.C * g.zBytes;
          gemm.transpose(from, g.zBytes, at(wt) + (r * g.taps + tap) * tapBytes, g.cBytes, g.C, 2 * g.C, 0);
        }
      for (let t = steps - 1; t >= 0; t--) {
        const [st, ut, ct] = [states, gates, candidates].map((x) => at(x) + t * stateBytes) as [number, number, number];
        // ∂s_t ← ∂s_{t+1} − ∂s_{t+1}⊙u (the gate's share, in place), and ∂z
        gate.gatedUpdateGrad(st, ut, ct, at(ds), at(ds), at(dz), g.R * g.rows, g.C);
        unroll.accumulate(at(dinj), at(dz), g.R * g.rows * 2 * g.C);
        for (let r = 0; r < g.R; r++) {
          const [dsr, dzr] = [at(ds) + r * g.rows * g.cBytes, at(dz) + r * g.rows * g.zBytes];
          // ∂s_r += flipped windows of ∂z_r · w_rᵀ: (rows, taps·2C)·(taps·2C, C)
          unroll.im2col(dzr, at(col), g.B, g.H, g.W, 2 * g.C, g.kh, g.kw, 1);
          const wtr = at(wt) + r * g.taps * tapBytes;
          gemm.gemm(
            at(col),
            g.taps * g.zBytes,
            FLOAT,
            wtr,
            g.cBytes,
            g.rows,
            g.taps * 2 * g.C,
            g.C,
            dsr,
            g.cBytes,
            dsr,
            0,
            0,
            1,
            1,
            0,
          );
          // ∂w_r += windows of s_rᵀ · ∂z_r: (taps·C, rows)·(rows, 2C)
          unroll.im2col(st + r * g.rows * g.cBytes, at(col), g.B, g.H, g.W, g.C, g.kh, g.kw, 0);
          const dwr = at(dw) + r * g.wBytes;
          gemm.gemm(
            at(col),
            FLOAT,
            g.taps * g.cBytes,
            dzr,
            g.zBytes,
            g.taps * g.C,
            g.rows,
            2 * g.C,
            dwr,
            g.zBytes,
            dwr,
            0,
            0,
            1,
            1,
            0,
          );
        }
      }
      for (const x of [dz, col, wt]) heap.disposeData(x.dataId);
      return [ds, dinj, dw];
    },
  };
}

/**
 * One plug-in per kernel, compiling (once per heap) the routines on the wasm backend's heap.
 * Without WebAssembly SIMD, or a backend that does not expose its heap, nothing registers and the
 * unroll composes TF.js ops.
 */
export const WASM_UNROLL_KERNELS: readonly KernelPlugin[] = [RCNN_UNROLL, RCNN_UNROLL_GRAD].map((kernelName) =>
  wasmHeapPlugin(kernelName, async (memory) => {
    const [{ exports: gemm }, gate, unroll] = await Promise.all([
      gemmOnMemory(memory),
      gateRoutinesOn(memory),
      unrollRoutinesOn(memory),
    ]);
    return unrollKernels({ gemm, gate, unroll });
  }),
);
