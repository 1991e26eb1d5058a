/**
 * The credit-assignment rules written out in plain JS (float64), one example at a time, for one
 * replica of a ReLU MLP — the formulas of docs/papers.md §4 that the TF.js trainers are checked against.
 * Weights are row-major (fan_in × fan_out) as in `@learnability/dense`.
 */
import type { AlignConfig } from '../src/align-config.js';

export interface RefNet {
  w: Float64Array[];
  b: Float64Array[];
}

export type RefRule =
  | 'backprop'
  | 'align-zero'
  | 'align-ada-frozen'
  | 'align-ada-current'
  | 'fa'
  | 'dfa'
  | 'readout-only';

/** Each reference rule and the trainer config that should match it (FA and DFA with feedback seed 3). */
export const RULES: [RefRule, AlignConfig][] = [
  ['backprop', { rule: 'backprop' }],
  ['align-zero', { rule: 'align-zero' }],
  ['align-ada-current', { rule: 'align-ada', gate: 'current' }],
  ['align-ada-frozen', { rule: 'align-ada', gate: 'frozen' }],
  ['fa', { rule: 'fa', seed: 3 }],
  ['dfa', { rule: 'dfa', seed: 3 }],
  ['readout-only', { rule: 'readout-only' }],
];

export interface RefArgs {
  rule: RefRule;
  /** [input, ...widths, output]. */
  sizes: number[];
  ntk: boolean;
  current: RefNet;
  initial?: RefNet;
  /** FA: backward matrices by layer index l ≥ 1 (shape of w_l). */
  feedback?: (Float64Array | undefined)[];
  /** DFA: per hidden layer, (outputs × width) row-major. */
  projections?: Float64Array[];
  x: number[][];
  y: number[][];
}

const dRelu = (z: number) => (z > 0 ? 1 : 0);

function forward(net: RefNet, sizes: number[], ntk: boolean, x: number[]) {
  const a: number[][] = [x];
  const z: number[][] = [];
  for (let l = 0; l < sizes.length - 1; l++) {
    const [fanIn, fanOut] = [sizes[l] as number, sizes[l + 1] as number];
    const s = ntk ? 1 / Math.sqrt(fanIn) : 1;
    const zl = Array.from({ length: fanOut }, (_, j) => {
      let acc = 0;
      for (let i = 0; i < fanIn; i++)
        acc += ((a[l] as number[])[i] as number) * ((net.w[l] as Float64Array)[i * fanOut + j] as number);
      return acc * s + ((net.b[l] as Float64Array)[j] as number);
    });
    z.push(zl);
    a.push(l < sizes.length - 2 ? zl.map((v) => Math.max(0, v)) : zl);
  }
  return { a, z };
}

/** The update (gradient-shaped, before −η) of every w_l and b_l, summed over the batch. */
export function refRuleUpdate(args: RefArgs): RefNet {
  const { rule, sizes, ntk, current, x, y } = args;
  const L = sizes.length - 1;
  const O = sizes[L] as number;
  const scale = (l: number) => (ntk ? 1 / Math.sqrt(sizes[l] as number) : 1);
  const out: RefNet = {
    w: sizes.slice(1).map((o, l) => new Float64Array((sizes[l] as number) * o)),
    b: sizes.slice(1).map((o) => new Float64Array(o)),
  };
  const frozenRule = rule === 'align-zero' || rule === 'align-ada-frozen' || rule === 'align-ada-current';
  x.forEach((xn, n) => {
    const cur = forward(current, sizes, ntk, xn);
    const fz = args.initial ? forward(args.initial, sizes, ntk, xn) : cur;
    const e = (cur.a[L] as number[]).map((f, k) => (2 * (f - ((y[n] as number[])[k] as number))) / (x.length * O));
    const g: number[][] = [];
    if (rule === 'readout-only') {
      for (let l = 0; l < L - 1; l++) g[l] = new Array<number>(sizes[l + 1] as number).fill(0);
    } else if (rule === 'dfa') {
      for (let l = 0; l < L - 1; l++) {
        const width = sizes[l + 1] as number;
        const P = args.projections?.[l] as Float64Array;
        g[l] = Array.from({ length: width }, (_, j) =>
          e.reduce((s, ek, k) => s + ek * (P[k * width + j] as number), 0),
        );
      }
    } else {
      const V = (l: number) =>
        (rule === 'fa' ? args.feedback?.[l] : (frozenRule ? (args.initial as RefNet) : current).w[l]) as Float64Array;
      let signal = e;
      for (let l = L - 1; l >= 1; l--) {
        const [fanIn, fanOut] = [sizes[l] as number, sizes[l + 1] as number];
        const gl = Array.from(
          { length: fanIn },
          (_, i) => signal.reduce((s, sj, j) => s + sj * (V(l)[i * fanOut + j] as number), 0) * scale(l),
        );
        g[l - 1] = gl;
        const p = ((frozenRule ? fz.z : cur.z)[l - 1] as number[]).map(dRelu);
        signal = gl.map((v, i) => v * (p[i] as number));
      }
    }
    const gateAtLayer = rule === 'align-zero' || rule === 'align-ada-frozen' ? fz.z : cur.z;
    const inputs = rule === 'align-zero' ? fz.a : cur.a;
    for (let l = 0; l < L; l++) {
      const delta =
        l < L - 1 ? (g[l] as number[]).map((v, j) => v * dRelu((gateAtLayer[l] as number[])[j] as number)) : e;
      const [fanIn, fanOut] = [sizes[l] as number, sizes[l + 1] as number];
      const [w, b, input] = [out.w[l] as Float64Array, out.b[l] as Float64Array, inputs[l] as number[]];
      for (let j = 0; j < fanOut; j++) {
        b[j] = (b[j] as number) + (delta[j] as number);
        for (let i = 0; i < fanIn; i++)
          w[i * fanOut + j] = (w[i * fanOut + j] as number) + (input[i] as number) * (delta[j] as number) * scale(l);
      }
    }
  });
  return out;
}
