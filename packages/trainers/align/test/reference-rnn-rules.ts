/**
 * The credit-assignment rules on the ReLU RNN (`@learnability/rnn`, NTK scales) in plain JS
 * (float64), one sequence at a time, for one replica — docs/papers.md §4's recurrent form, which the
 * TF.js trainers (networks/rnn-network.ts and the scan kernels) are checked against:
 *   z_t = x_t W_ih/√d + h_{t−1} W_hh/√n + b_h,  h_t = relu(z_t),  o_t = h_t W_ho/√n + b_o,
 *   e = 2(o − y)/(B·T·o)  (the MSE's gradient, mean over batch, steps and outputs),
 *   g_t = e_t Vᵀ/√n + (gate′_{t+1} ⊙ g_{t+1}) Uᵀ/√n  back through time (DFA: g_t = e_t D),
 *   δ_t = gate_t ⊙ g_t;  ΔW_ih ∝ Σ x_tᵀ δ_t/√d,  ΔW_hh ∝ Σ a_{t−1}ᵀ δ_t/√n,  Δb_h ∝ Σ δ_t,
 *   ΔW_ho ∝ Σ a_tᵀ e_t/√n,  Δb_o ∝ Σ e_t,
 * where (U, V, gate′) are the current W_hh, W_ho and relu′(z) for backprop, FA's fixed matrices
 * with the current relu′ for FA, and θ₀'s with θ₀'s relu′(z⁰) for both Align rules; gate is θ₀'s
 * for Align-zero and Align-ada's frozen reading, else the current relu′; the layer inputs a are
 * θ₀'s states for Align-zero, else the current ones; readout-only sends nothing back (g = 0).
 * Weights are row-major (fan_in × fan_out).
 */
import type { RefRule } from './reference-rules.js';

export interface RefRnn {
  wih: Float64Array;
  whh: Float64Array;
  bh: Float64Array;
  who: Float64Array;
  bo: Float64Array;
}
export const RNN_PARAM_NAMES = ['wih', 'whh', 'bh', 'who', 'bo'] as const;

export interface RefRnnArgs {
  rule: RefRule;
  sizes: { d: number; T: number; n: number; o: number };
  current: RefRnn;
  /** θ₀ (the Align rules). */
  initial?: RefRnn;
  /** FA's fixed stand-ins for W_hh and W_ho. */
  feedback?: { whh: Float64Array; who: Float64Array };
  /** DFA's fixed (o × n) projection. */
  projection?: Float64Array;
  /** Per sequence: x [t][i] and y [t·o + k]. */
  x: number[][][];
  y: number[][];
}

const dRelu = (z: number) => (z > 0 ? 1 : 0);

/** v (length rows) times the row-major (rows × cols) m, or times its transpose when `transposed`. */
function times(v: ArrayLike<number>, m: Float64Array, rows: number, cols: number, transposed = false): number[] {
  const out = new Array<number>(transposed ? rows : cols).fill(0);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++)
      if (transposed) out[i] = (out[i] as number) + (v[j] as number) * (m[i * cols + j] as number);
      else out[j] = (out[j] as number) + (v[i] as number) * (m[i * cols + j] as number);
  return out;
}

function forward(net: RefRnn, { d, n, o }: RefRnnArgs['sizes'], x: number[][]) {
  const z: number[][] = [];
  const h: number[][] = [];
  const out: number[] = [];
  x.forEach((xt, t) => {
    const fromInput = times(xt, net.wih, d, n);
    const fromState = t === 0 ? new Array<number>(n).fill(0) : times(h[t - 1] as number[], net.whh, n, n);
    const zt = fromInput.map(
      (v, j) => v / Math.sqrt(d) + (fromState[j] as number) / Math.sqrt(n) + (net.bh[j] as number),
    );
    const ht = zt.map((v) => Math.max(0, v));
    z.push(zt);
    h.push(ht);
    out.push(...times(ht, net.who, n, o).map((v, k) => v / Math.sqrt(n) + (net.bo[k] as number)));
  });
  return { z, h, out };
}

/** The update (gradient-shaped, before −η) of every parameter, summed over the batch and time. */
export function refRnnRuleUpdate(args: RefRnnArgs): RefRnn {
  const { rule, sizes, current, initial, feedback, projection } = args;
  const { d, T, n, o } = sizes;
  const B = args.x.length;
  const alignRule = rule.startsWith('align');
  if (alignRule && !initial) throw new Error(`${rule} needs θ₀`);
  const update: RefRnn = {
    wih: new Float64Array(d * n),
    whh: new Float64Array(n * n),
    bh: new Float64Array(n),
    who: new Float64Array(n * o),
    bo: new Float64Array(o),
  };
  const add = (into: Float64Array, a: ArrayLike<number>, b: ArrayLike<number>, scale: number) => {
    for (let i = 0; i < a.length; i++)
      for (let j = 0; j < b.length; j++)
        into[i * b.length + j] = (into[i * b.length + j] as number) + (a[i] as number) * (b[j] as number) * scale;
  };
  args.x.forEach((x, b) => {
    const now = forward(current, sizes, x);
    const first = initial ? forward(initial, sizes, x) : now;
    const e = now.out.map((v, i) => (2 * (v - (args.y[b]?.[i] as number))) / (B * T * o));
    const eAt = (t: number) => e.slice(t * o, (t + 1) * o);
    // What the signal goes back through: U (for W_hh), V (for W_ho) and the gates on the way.
    const back =
      rule === 'fa'
        ? { U: feedback?.whh, V: feedback?.who, z: now.z }
        : alignRule
          ? { U: initial?.whh, V: initial?.who, z: first.z }
          : { U: current.whh, V: current.who, z: now.z };
    const g: number[][] = new Array(T);
    for (let t = T - 1; t >= 0; t--) {
      if (rule === 'readout-only') {
        g[t] = new Array<number>(n).fill(0);
        continue;
      }
      if (rule === 'dfa') {
        g[t] = times(eAt(t), projection as Float64Array, o, n);
        continue;
      }
      const fromOutput = times(eAt(t), back.V as Float64Array, n, o, true);
      const next = g[t + 1];
      const fromNext =
        next === undefined
          ? new Array<number>(n).fill(0)
          : times(
              next.map((v, j) => v * dRelu(back.z[t + 1]?.[j] as number)),
              back.U as Float64Array,
              n,
              n,
              true,
            );
      g[t] = fromOutput.map((v, j) => (v + (fromNext[j] as number)) / Math.sqrt(n));
    }
    const gateZ = rule === 'align-zero' || rule === 'align-ada-frozen' ? first.z : now.z;
    const states = rule === 'align-zero' ? first.h : now.h;
    for (let t = 0; t < T; t++) {
      const delta = (g[t] as number[]).map((v, j) => v * dRelu(gateZ[t]?.[j] as number));
      add(update.wih, x[t] as number[], delta, 1 / Math.sqrt(d));
      if (t > 0) add(update.whh, states[t - 1] as number[], delta, 1 / Math.sqrt(n));
      add(update.bh, [1], delta, 1);
      add(update.who, states[t] as number[], eAt(t), 1 / Math.sqrt(n));
      add(update.bo, [1], eAt(t), 1);
    }
  });
  return update;
}
