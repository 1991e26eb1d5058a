/**
 * A plain-JS float64 forward pass of one RCNN replica on one input, written from the description in
 * README.md (the diagram, "Choices", the parameter table) and docs/papers.md §2, not from src/: the
 * reference `createRcnn(...).apply` is checked against (src/reference-forward.test.ts).
 *
 *   e   = first layer(x) written at the grid's top-left h0 × w0 cells, zeros elsewhere   (H, W, C)
 *   s_0 = 0;  z = conv([s; e], convW) + convB  (one shared filter, 'same' zero padding)  (H, W, G·C)
 *         gated (G = 2):    [a; z_u] = z,  s ← s + σ(z_u)⊙(tanh(a) − s)
 *         residual (G = 1): s ← s + tanh(z)/√T
 *   ŷ   = (1/√(HW)) Σ_cells readW2ᵀ relu(readW1ᵀ s[cell] + readB1) + readB2              (out)
 *
 * One replica's parameters, row-major, as the README's table lists them (the model's tensors
 * without their leading replica axis):
 *   'cell':  embedScale (h0, w0, C), embedBias (h0, w0, C)        e[i, j, :] = x[i, j]·U[i, j, :] + P[i, j, :]
 *   'dense': embedW (h0·w0, h0·w0·C), embedBias (1, h0·w0·C)     e = flat(x)·W + b, cell-major then channel
 *   convW (kh, kw, 2C, G·C): input channels [s; e], output channels [a; z_u] (gated) or z (residual)
 *   convB (1, G·C), readW1 (C, h), readB1 (1, h), readW2 (h, out), readB2 (1, out)
 */
import { refConv } from './reference-conv.js';

export type RefUpdate = 'gated' | 'residual';
export type RefEmbedding = 'cell' | 'dense';

/** Sizes of one RCNN, every default filled in. */
export interface RefRcnnGeometry {
  /** The input's layout on the grid: 1 × d for `[d]`, rows × cols for `[rows, cols]`. */
  inputRows: number;
  inputCols: number;
  gridHeight: number;
  gridWidth: number;
  channels: number;
  /** Filter rows and columns: the k × k filter cut to the taps that can reach a cell. */
  kernelHeight: number;
  kernelWidth: number;
  depth: number;
  update: RefUpdate;
  embedding: RefEmbedding;
  readoutWidth: number;
  outputSize: number;
}

/** The options the geometry is resolved from (a subset of the model's config). */
export interface RefRcnnOptions {
  inputShape: readonly number[];
  gridHeight?: number | null;
  gridWidth?: number | null;
  channels?: number;
  kernelSize?: number;
  depth?: number | null;
  update?: RefUpdate;
  embedding?: RefEmbedding;
  readoutWidth?: number;
  outputSize?: number;
}

/**
 * The README's defaults: the grid is the input's layout, C = 8, k = 3, T = rows + cols, gated,
 * `dense` for `[d]` and `cell` for a prompt, h = 16, one output; the filter is cut to
 * min(k, 2H − 1) × min(k, 2W − 1).
 */
export function refRcnnGeometry(o: RefRcnnOptions): RefRcnnGeometry {
  const [inputRows, inputCols] =
    o.inputShape.length === 1 ? [1, o.inputShape[0] as number] : [o.inputShape[0] as number, o.inputShape[1] as number];
  const gridHeight = o.gridHeight ?? inputRows;
  const gridWidth = o.gridWidth ?? inputCols;
  const k = o.kernelSize ?? 3;
  return {
    inputRows,
    inputCols,
    gridHeight,
    gridWidth,
    channels: o.channels ?? 8,
    kernelHeight: Math.min(k, 2 * gridHeight - 1),
    kernelWidth: Math.min(k, 2 * gridWidth - 1),
    depth: o.depth ?? inputRows + inputCols,
    update: o.update ?? 'gated',
    embedding: o.embedding ?? (o.inputShape.length === 1 ? 'dense' : 'cell'),
    readoutWidth: o.readoutWidth ?? 16,
    outputSize: o.outputSize ?? 1,
  };
}

/** One replica's parameters by name, each row-major as in the header. */
export type RefRcnnParams = Readonly<Record<string, ArrayLike<number>>>;

function param(p: RefRcnnParams, name: string): ArrayLike<number> {
  const v = p[name];
  if (v === undefined) throw new Error(`reference rcnn: missing parameter "${name}"`);
  return v;
}

const at = (a: ArrayLike<number>, i: number): number => a[i] as number;
const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

/** The first layer on the whole grid: x (h0·w0) → e (H, W, C), the input cells at the top-left, zeros elsewhere. */
export function refEmbed(g: RefRcnnGeometry, p: RefRcnnParams, x: ArrayLike<number>): Float64Array {
  const C = g.channels;
  const inputCells = g.inputRows * g.inputCols;
  const e = new Float64Array(g.gridHeight * g.gridWidth * C);
  for (let i = 0; i < g.inputRows; i++)
    for (let j = 0; j < g.inputCols; j++) {
      const cell = i * g.inputCols + j; // index in the input's h0 × w0 layout
      for (let ch = 0; ch < C; ch++) {
        const m = cell * C + ch; // the feature's index in (h0, w0, C), and in embedW's columns
        let v: number;
        if (g.embedding === 'cell') {
          v = at(x, cell) * at(param(p, 'embedScale'), m) + at(param(p, 'embedBias'), m);
        } else {
          // Every input entry t reaches every input cell: Σ_t x_t·W[t, m] + b[m], W (h0·w0, h0·w0·C).
          v = at(param(p, 'embedBias'), m);
          for (let t = 0; t < inputCells; t++) v += at(x, t) * at(param(p, 'embedW'), t * inputCells * C + m);
        }
        e[(i * g.gridWidth + j) * C + ch] = v;
      }
    }
  return e;
}

/** [s; e] along the channels: two (cells, C) arrays → (cells, 2C). */
function concatChannels(s: Float64Array, e: Float64Array, C: number): Float64Array {
  const cells = s.length / C;
  const se = new Float64Array(cells * 2 * C);
  for (let cell = 0; cell < cells; cell++)
    for (let ch = 0; ch < C; ch++) {
      se[cell * 2 * C + ch] = at(s, cell * C + ch);
      se[cell * 2 * C + C + ch] = at(e, cell * C + ch);
    }
  return se;
}

/** One step's pre-activation: z = conv([s; e], convW) + convB, s and e (H, W, C) → z (H, W, G·C). */
export function refStepPreActivation(
  g: RefRcnnGeometry,
  p: RefRcnnParams,
  s: Float64Array,
  e: Float64Array,
): Float64Array {
  const C = g.channels;
  const out = (g.update === 'gated' ? 2 : 1) * C;
  const z = refConv(concatChannels(s, e, C), param(p, 'convW'), {
    n: 1,
    h: g.gridHeight,
    w: g.gridWidth,
    cin: 2 * C,
    cout: out,
    k: g.kernelHeight,
    kw: g.kernelWidth,
  });
  const b = param(p, 'convB');
  for (let i = 0; i < z.length; i++) z[i] = at(z, i) + at(b, i % out);
  return z;
}

/** One recurrent step: s (H, W, C) and z (H, W, G·C) → the next state (H, W, C). */
export function refUpdate(g: RefRcnnGeometry, s: Float64Array, z: Float64Array): Float64Array {
  const C = g.channels;
  const next = new Float64Array(s.length);
  for (let cell = 0; cell < s.length / C; cell++)
    for (let ch = 0; ch < C; ch++) {
      const sv = at(s, cell * C + ch);
      if (g.update === 'gated') {
        // z's channels at a cell: [a (C); z_u (C)].
        const a = at(z, cell * 2 * C + ch);
        const u = sigmoid(at(z, cell * 2 * C + C + ch));
        next[cell * C + ch] = sv + u * (Math.tanh(a) - sv);
      } else {
        next[cell * C + ch] = sv + Math.tanh(at(z, cell * C + ch)) / Math.sqrt(g.depth);
      }
    }
  return next;
}

/** The pixel-wise readout: s (H, W, C) → ŷ (out), the per-cell MLP summed over cells × 1/√(HW), plus readB2. */
export function refReadout(g: RefRcnnGeometry, p: RefRcnnParams, s: Float64Array): Float64Array {
  const [C, h, out] = [g.channels, g.readoutWidth, g.outputSize];
  const [w1, b1, w2, b2] = [param(p, 'readW1'), param(p, 'readB1'), param(p, 'readW2'), param(p, 'readB2')];
  const cells = g.gridHeight * g.gridWidth;
  const sum = new Float64Array(out);
  for (let cell = 0; cell < cells; cell++)
    for (let u = 0; u < h; u++) {
      // hidden unit u at this cell: relu(Σ_ch s[cell, ch]·W1[ch, u] + b1[u])
      let pre = at(b1, u);
      for (let ch = 0; ch < C; ch++) pre += at(s, cell * C + ch) * at(w1, ch * h + u);
      const hidden = Math.max(0, pre);
      for (let o = 0; o < out; o++) sum[o] = at(sum, o) + hidden * at(w2, u * out + o);
    }
  return sum.map((v, o) => v / Math.sqrt(cells) + at(b2, o));
}

/** The whole forward pass of one replica on one input: x (h0·w0, row-major) → ŷ (out). */
export function refRcnnForward(g: RefRcnnGeometry, p: RefRcnnParams, x: ArrayLike<number>): Float64Array {
  const e = refEmbed(g, p, x);
  let s: Float64Array = new Float64Array(e.length); // s_0 = 0
  for (let t = 0; t < g.depth; t++) s = refUpdate(g, s, refStepPreActivation(g, p, s, e));
  return refReadout(g, p, s);
}
