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
import { gateRoutinesOn } from './gate-routines.js';
import type { GateRoutines } from './gate-routines.js';
import { FLOAT, unrollCall, unrollGradCall } from '../unroll-geometry.js';
import type { Geometry } from '../unroll-geometry.js';
import { unrollRoutinesOn } from './unroll-routines.js';
import type { UnrollRoutines } from './unroll-routines.js';

/** The heap byte address of each tensor, in order: looked up once per call, since nothing moves while a kernel runs. */
const addressesOf = <T extends TensorInfo[]>(heap: WasmTensorHeap, ...xs: T) =>
  xs.map((x) => wasmByteOffset(heap, x)) as { [K in keyof T]: number };

interface Routines {
  gemm: GemmExports;
  gate: GateRoutines;
  unroll: UnrollRoutines;
}

/** A product for `gemm`, by name: out = L·R (+ add, at out's row stride); L read through two strides, R by rows. */
interface Product {
  L: number;
  /** Bytes between L's rows and along its reduction (so a transposed L is read in place). */
  lrs: number;
  lred: number;
  R: number;
  /** Bytes between R's rows. */
  rred: number;
  rows: number;
  red: number;
  cols: number;
  out: number;
  ostride: number;
  /** Added to the product; absent: out is the product alone. */
  add?: number;
}

function unrollKernels({ gemm, gate, unroll }: Routines): Record<string, KernelFunc> {
  const product = (p: Product) =>
    gemm.gemm(
      p.L,
      p.lrs,
      p.lred,
      p.R,
      p.rred,
      p.rows,
      p.red,
      p.cols,
      p.out,
      p.ostride,
      p.add ?? 0,
      0,
      0,
      1,
      p.add === undefined ? 0 : 1,
      0,
    );
  /** z = conv(s, w_r) + inj for every replica r: one windows · filter product each, into z. */
  const preActivation = (g: Geometry, s: number, inj: number, w: number, z: number, col: number) => {
    for (let r = 0; r < g.R; r++) {
      unroll.im2col(s + r * g.rows * g.cBytes, col, g.B, g.H, g.W, g.C, g.kh, g.kw, 0);
      const zr = z + r * g.rows * g.zBytes;
      // (rows, taps·C)·(taps·C, 2C) + inj_r
      product({
        L: col,
        lrs: g.taps * g.cBytes,
        lred: FLOAT,
        R: w + r * g.wBytes,
        rred: g.zBytes,
        rows: g.rows,
        red: g.taps * g.C,
        cols: 2 * g.C,
        out: zr,
        ostride: g.zBytes,
        add: inj + r * g.rows * g.zBytes,
      });
    }
  };

  return {
    [RCNN_UNROLL]: ({ inputs, backend, attrs }) => {
      const { s, inj, w, g, steps, keep } = unrollCall(inputs, attrs);
      const heap = backend as WasmTensorHeap;
      const stateBytes = g.R * g.rows * g.cBytes;
      const last = heap.makeOutput([...s.shape], 'float32');
      // With keep: step t's input state, u and tanh(a) in slot t of three stacks of `steps`; without,
      // one state each (u and tanh(a) overwritten at every step) and a spare state, the states
      // taken in turn.
      const buffer = () => heap.makeOutput(keep ? [steps, ...s.shape] : [...s.shape], 'float32');
      const [states, gates, candidates] = [buffer(), buffer(), buffer()] as [TensorInfo, TensorInfo, TensorInfo];
      const spare = keep ? null : heap.makeOutput([...s.shape], 'float32');
      const col = heap.makeOutput([g.rows * g.taps * g.C], 'float32'); // one replica's windows
      const z = heap.makeOutput([g.R * g.rows * 2 * g.C], 'float32');
      const [pS, pInj, pW, pZ, pCol, pLast] = addressesOf(heap, s, inj, w, z, col, last);
      const [pStates, pGates, pCandidates] = addressesOf(heap, states, gates, candidates);
      const pSpare = spare ? wasmByteOffset(heap, spare) : 0;
      const slot = (p: number, t: number) => p + (keep ? t * stateBytes : 0);
      const inputOf = (t: number) => (keep ? slot(pStates, t) : t % 2 === 0 ? pStates : pSpare);
      const memory = wasmHeap(backend) as WebAssembly.Memory;
      // s_0 = s: the state stack's (or the first scratch's) slot 0 holds it.
      new Uint8Array(memory.buffer).copyWithin(inputOf(0), pS, pS + stateBytes);
      for (let t = 0; t < steps; t++) {
        const from = inputOf(t);
        preActivation(g, from, pInj, pW, pZ, pCol);
        const to = t === steps - 1 ? pLast : inputOf(t + 1);
        gate.gatedUpdate(from, pZ, to, slot(pGates, t), slot(pCandidates, t), g.R * g.rows, g.C);
      }
      for (const x of [col, z, ...(keep ? [] : [states, gates, candidates, spare as TensorInfo])])
        heap.disposeData(x.dataId);
      return keep ? [last, states, gates, candidates] : [last];
    },
    [RCNN_UNROLL_GRAD]: ({ inputs, backend }) => {
      const { states, gates, candidates, dy, w, g, steps } = unrollGradCall(inputs);
      const heap = backend as WasmTensorHeap;
      const stateBytes = g.R * g.rows * g.cBytes;
      const ds = heap.makeOutput([...dy.shape], 'float32'); // ∂s_t, from t = steps down to 0, in place
      const dinj = heap.makeOutput([...dy.shape.slice(0, 3), 2 * g.C], 'float32');
      const dw = heap.makeOutput([...w.shape], 'float32');
      const dz = heap.makeOutput([g.R * g.rows * 2 * g.C], 'float32');
      const col = heap.makeOutput([g.rows * g.taps * 2 * g.C], 'float32'); // windows of ∂z, then of s
      const wt = heap.makeOutput([g.R * g.taps * 2 * g.C * g.C], 'float32'); // each tap of w_r transposed
      const [pStates, pGates, pCandidates, pDy, pW] = addressesOf(heap, states, gates, candidates, dy, w);
      const [pDs, pDinj, pDw, pDz, pCol, pWt] = addressesOf(heap, ds, dinj, dw, dz, col, wt);
      const memory = wasmHeap(backend) as WebAssembly.Memory;
      new Uint8Array(memory.buffer).copyWithin(pDs, pDy, pDy + stateBytes);
      new Float32Array(memory.buffer, pDinj, g.R * g.rows * 2 * g.C).fill(0);
      new Float32Array(memory.buffer, pDw, g.R * g.taps * g.C * 2 * g.C).fill(0);
      const tapBytes = 2 * g.C * g.cBytes;
      for (let r = 0; r < g.R; r++)
        for (let tap = 0; tap < g.taps; tap++) {
          const from = pW + r * g.wBytes + tap * g.C * g.zBytes;
          gemm.transpose(from, g.zBytes, pWt + (r * g.taps + tap) * tapBytes, g.cBytes, g.C, 2 * g.C, 0);
        }
      for (let t = steps - 1; t >= 0; t--) {
        const [st, ut, ct] = [pStates + t * stateBytes, pGates + t * stateBytes, pCandidates + t * stateBytes];
        // ∂s_t ← ∂s_{t+1} − ∂s_{t+1}⊙u (the gate's share, in place), and ∂z
        gate.gatedUpdateGrad(st, ut, ct, pDs, pDs, pDz, g.R * g.rows, g.C);
        unroll.accumulate(pDinj, pDz, g.R * g.rows * 2 * g.C);
        for (let r = 0; r < g.R; r++) {
          const [dsr, dzr] = [pDs + r * g.rows * g.cBytes, pDz + r * g.rows * g.zBytes];
          // ∂s_r += flipped windows of ∂z_r · w_rᵀ: (rows, taps·2C)·(taps·2C, C)
          unroll.im2col(dzr, pCol, g.B, g.H, g.W, 2 * g.C, g.kh, g.kw, 1);
          const wtr = pWt + r * g.taps * tapBytes;
          product({
            L: pCol,
            lrs: g.taps * g.zBytes,
            lred: FLOAT,
            R: wtr,
            rred: g.cBytes,
            rows: g.rows,
            red: g.taps * 2 * g.C,
            cols: g.C,
            out: dsr,
            ostride: g.cBytes,
            add: dsr,
          });
          // ∂w_r += windows of s_rᵀ · ∂z_r: (taps·C, rows)·(rows, 2C)
          unroll.im2col(st + r * g.rows * g.cBytes, pCol, g.B, g.H, g.W, g.C, g.kh, g.kw, 0);
          const dwr = pDw + r * g.wBytes;
          product({
            L: pCol,
            lrs: FLOAT,
            lred: g.taps * g.cBytes,
            R: dzr,
            rred: g.zBytes,
            rows: g.taps * g.C,
            red: g.rows,
            cols: 2 * g.C,
            out: dwr,
            ostride: g.zBytes,
            add: dwr,
          });
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
