/**
 * The calls into the SIMD module (`@learnability/wasm-asm/gemm`) that make one fused dense SGD step, as
 * phases of independent chunks: a chunk is a list of calls run in order by one thread, and the
 * chunks of a phase only read what earlier phases wrote, so threads claim them in any order
 * (step-threads.ts) and a barrier ends each phase.
 *
 * Per replica r (shapes without R; s_l the layer's scale, decay = 1 − lr·weightDecay):
 *   forward   a_l = relu(s_l · a_{l−1} W_l + b_l)  (B, h_l); the readout ŷ = a_{L−1} has no ReLU
 *   [loss]    δ_{L−1} = ∂loss/∂ŷ on the main thread, between phase 0 and 1 (`lossAndDelta`, fused/losses.ts)
 *   backward  W_l' = decay·W_l − lr·s_l · a_{l−1}ᵀ δ_l     b_l' = decay·b_l − lr · 1ᵀ δ_l
 *             δ_{l−1} = s_l · δ_l W_lᵀ ⊙ [a_{l−1} > 0]   (from the old W_l: the new one is a separate tensor)
 * δ W_lᵀ needs W_l's columns as vectors: when fan_out = 1 that column is contiguous and one gemm
 * does it; otherwise it is (W_l δ_lᵀ)ᵀ with two transposes of (B, width) blocks, cheaper than
 * transposing the (fan_in, fan_out) weight.
 *
 * Splitting for T threads: with R ≥ 2T (or T = 1) a chunk is a whole replica: two phases, the
 * forward pass and all of the backward pass. With fewer replicas each is cut into 2T parts —
 * the forward pass and the δ chain by batch rows, weight gradients by output columns (or rows
 * when fan_out is small) — and each backward layer is a phase, since dW_{l−1} reads every row
 * of δ_{l−1}. 2T chunks rather than T, so a thread the OS has descheduled holds back little.
 */
import type { GemmExports } from '@learnability/wasm-asm/gemm';

export const GEMM = 0;
export const TRANSPOSE = 1;
/** [GEMM, 16 gemm arguments] or [TRANSPOSE, 7 transpose arguments] (`@learnability/wasm-asm/gemm`). */
export type Call = number[];

const F = 4; // bytes per float32

/** Runs a chunk's calls in order on this thread. */
export function runCalls(m: GemmExports, calls: readonly Call[]): void {
  for (const c of calls) (c[0] === GEMM ? m.gemm : m.transpose)(...c.slice(1));
}

/** Byte addresses of one step's tensors and scratch, per replica r and layer l. */
export interface StepLayout {
  R: number;
  B: number;
  /** [n, h_0, …, out]. */
  sizes: number[];
  scales: number[];
  lr: number;
  weightDecay: number;
  wIn(l: number, r: number): number;
  bIn(l: number, r: number): number;
  wOut(l: number, r: number): number;
  bOut(l: number, r: number): number;
  /** a_l: l = −1 is x, L−1 is ŷ. */
  act(l: number, r: number): number;
  /** δ_l (B, fan_out of layer l). */
  delta(l: number, r: number): number;
  /** Scratch (B·widest) for δᵀ and for W δᵀ. */
  deltaT(r: number): number;
  product(r: number): number;
  /** A float holding 1 (the bias gradient's left operand). */
  one: number;
}

/** `parts` contiguous ranges covering [0, n), inner boundaries rounded down to multiples of `align`. */
export function ranges(n: number, parts: number, align: number): [number, number][] {
  const cut = (p: number) => (p === parts ? n : Math.min(n, Math.floor((n * p) / parts / align) * align));
  return Array.from({ length: parts }, (_, p) => [cut(p), cut(p + 1)] as [number, number]).filter(([a, b]) => b > a);
}

/** Phases × chunks × calls. Phase 0 is the forward pass; the loss runs after it. */
export function planStep(s: StepLayout, threads: number): Call[][][] {
  const { R, B, sizes, scales, lr } = s;
  const L = sizes.length - 1;
  const decay = 1 - lr * s.weightDecay;
  const byReplica = threads === 1 || R >= 2 * threads;
  const parts = byReplica ? 1 : 2 * threads;
  const phases: Call[][][] = Array.from({ length: byReplica ? 2 : 1 + L }, () => []);

  for (let r = 0; r < R; r++) {
    // Chunk p of this replica in a phase: the replica's own chunk, or part p of it.
    const chunk = (phase: number, p: number): Call[] => {
      const list = phases[phase] as Call[][];
      const index = byReplica ? r : r * parts + p;
      return (list[index] ??= []);
    };
    const rows = ranges(B, parts, 4);
    // forward: thread p runs its batch rows through every layer
    rows.forEach(([b0, b1], p) => {
      for (let l = 0; l < L; l++) {
        const [fanIn, fanOut] = [sizes[l] as number, sizes[l + 1] as number];
        chunk(0, p).push([
          GEMM,
          s.act(l - 1, r) + b0 * fanIn * F,
          fanIn * F,
          F,
          s.wIn(l, r),
          fanOut * F,
          b1 - b0,
          fanIn,
          fanOut,
          s.act(l, r) + b0 * fanOut * F,
          fanOut * F,
          0,
          s.bIn(l, r),
          0,
          scales[l] as number,
          0,
          l < L - 1 ? 1 : 0,
        ]);
      }
    });
    for (let l = L - 1; l >= 0; l--) {
      const phase = byReplica ? 1 : L - l;
      const [fanIn, fanOut] = [sizes[l] as number, sizes[l + 1] as number];
      const sl = scales[l] as number;
      const delta = s.delta(l, r);
      // W_l' = decay·W_l − lr·s·a_{l−1}ᵀ δ_l: a_{l−1} read transposed (row k = feature, reduction over the batch)
      // Split by W's columns when there are many; with one column, W (fan_in, 1) is the row Wᵀ and
      // Wᵀ' = decay·Wᵀ − lr·s·δᵀ a_{l−1} runs vectorised along fan_in; else split by W's rows.
      const form = fanOut >= 64 ? 'columns' : fanOut === 1 ? 'row' : 'rows';
      ranges(form === 'rows' ? fanIn : form === 'row' ? fanIn : fanOut, parts, form === 'rows' ? 4 : 8).forEach(
        ([i0, i1], p) => {
          const call =
            form === 'columns'
              ? [
                  GEMM,
                  s.act(l - 1, r),
                  F,
                  fanIn * F,
                  delta + i0 * F,
                  fanOut * F,
                  fanIn,
                  B,
                  i1 - i0,
                  s.wOut(l, r) + i0 * F,
                  fanOut * F,
                  s.wIn(l, r) + i0 * F,
                  0,
                  0,
                  -lr * sl,
                  decay,
                  0,
                ]
              : form === 'row'
                ? [
                    GEMM,
                    delta,
                    F,
                    F,
                    s.act(l - 1, r) + i0 * F,
                    fanIn * F,
                    1,
                    B,
                    i1 - i0,
                    s.wOut(l, r) + i0 * F,
                    fanIn * F,
                    s.wIn(l, r) + i0 * F,
                    0,
                    0,
                    -lr * sl,
                    decay,
                    0,
                  ]
                : [
                    GEMM,
                    s.act(l - 1, r) + i0 * F,
                    F,
                    fanIn * F,
                    delta,
                    fanOut * F,
                    i1 - i0,
                    B,
                    fanOut,
                    s.wOut(l, r) + i0 * fanOut * F,
                    fanOut * F,
                    s.wIn(l, r) + i0 * fanOut * F,
                    0,
                    0,
                    -lr * sl,
                    decay,
                    0,
                  ];
          chunk(phase, p).push(call);
        },
      );
      // b_l' = decay·b_l − lr·1ᵀδ_l: the left operand is the constant 1 (both strides 0)
      chunk(phase, parts - 1).push([
        GEMM,
        s.one,
        0,
        0,
        delta,
        fanOut * F,
        1,
        B,
        fanOut,
        s.bOut(l, r),
        fanOut * F,
        s.bIn(l, r),
        0,
        0,
        -lr,
        decay,
        0,
      ]);
      if (l === 0) continue;
      const next = s.delta(l - 1, r);
      const mask = s.act(l - 1, r);
      rows.forEach(([b0, b1], p) => {
        const calls = chunk(phase, p);
        if (fanOut === 1) {
          // (B, 1)·(1, fan_in) with the mask: W_l's single column is a contiguous row
          calls.push([
            GEMM,
            delta + b0 * F,
            F,
            F,
            s.wIn(l, r),
            0,
            b1 - b0,
            1,
            fanIn,
            next + b0 * fanIn * F,
            fanIn * F,
            0,
            0,
            mask + b0 * fanIn * F,
            sl,
            0,
            0,
          ]);
          return;
        }
        // δᵀ (fan_out, B) ← δ rows [b0, b1); P = s·W_l δᵀ (fan_in, B) columns [b0, b1); δ_{l−1} rows [b0, b1) = Pᵀ ⊙ mask
        const dT = s.deltaT(r);
        const P = s.product(r);
        calls.push([TRANSPOSE, delta + b0 * fanOut * F, fanOut * F, dT + b0 * F, B * F, b1 - b0, fanOut, 0]);
        calls.push([
          GEMM,
          s.wIn(l, r),
          fanOut * F,
          F,
          dT + b0 * F,
          B * F,
          fanIn,
          fanOut,
          b1 - b0,
          P + b0 * F,
          B * F,
          0,
          0,
          0,
          sl,
          0,
          0,
        ]);
        calls.push([
          TRANSPOSE,
          P + b0 * F,
          B * F,
          next + b0 * fanIn * F,
          fanIn * F,
          fanIn,
          b1 - b0,
          mask + b0 * fanIn * F,
        ]);
      });
    }
  }
  // Drop the holes a short range left (e.g. B < parts).
  return phases.map((list) => list.filter((c) => c !== undefined && c.length > 0));
}
