/**
 * Where everything of one fused WebGPU dense step lives (float offsets into the engine's
 * buffers) and how the work is cut into workgroups. Plain numbers, so the WGSL generators and
 * the kernel read one source, and a test can check the cutting without a GPU.
 *
 * Buffers (one per binding of the step's bind group):
 *   0 xy         x (R, B, n) then y (R, B, out)                    read-only
 *   1 theta      w0 (R, n, h0), b0 (R, 1, h0), w1, b1, …          read-only (this step's θ)
 *   2 thetaNext  the same layout                                   written by `weights`
 *   3 act        a_0 (R, B, h0), …, a_{L−1} = ŷ (R, B, out)         written by `rows`
 *   4 delta      δ_l = ∂loss/∂z_l in act's layout                   written by `rows`
 *   5 lossElems  the loss of each (replica, example, output)       written by `rows`
 *   6 lossOut    the per-replica mean loss (R,)                     written by `loss`
 * theta and thetaNext are two buffers that swap roles every step (ping-pong), so bind groups
 * are made once per run: one for each direction.
 */
import type { DenseStepShape } from '../kernel-contract.js';

/** Rows of the batch one `rows` workgroup carries through the network. */
export const ROWS = 8;
/** Threads per workgroup, every entry point. */
export const WORKGROUP = 256;
/** Floats of each layer's input staged at once in `rows` (ROWS × CHUNK ≤ 2,048 floats = 8 KB). */
export const CHUNK = 256;

/** One layer's weight-gradient tiling in `weights`: TK × TJ = WORKGROUP threads, one (k, j) each. */
export interface WeightTiling {
  /** Tile height over k ∈ [0, fan_in] (row fan_in is the bias). */
  tk: number;
  /** Tile width over j ∈ [0, fan_out). */
  tj: number;
  /** Batch rows staged per pass (tk·bc ≤ 2,048 and tj·bc ≤ 1,024 floats). */
  bc: number;
  /** Tiles per replica: ceil((fan_in + 1) / tk) × ceil(fan_out / tj). */
  tilesK: number;
  tilesJ: number;
  /** First workgroup of this layer (all replicas of earlier layers come before). */
  first: number;
}

export interface StepLayout extends DenseStepShape {
  layers: number;
  /** Float offsets in theta of w_l and b_l. */
  wAt: number[];
  bAt: number[];
  thetaFloats: number;
  /** Float offsets in act/delta of layer l's (R, B, fan_out) block. */
  actAt: number[];
  actFloats: number;
  /** Float offset of y in xy. */
  yAt: number;
  xyFloats: number;
  /** Workgroups: `rows` is R × ceil(B / ROWS); `weights` is the layers' tiles; `loss` one thread a replica. */
  rowTiles: number;
  rowGroups: number;
  tilings: WeightTiling[];
  weightGroups: number;
  lossGroups: number;
}

const pow2AtLeast = (n: number) => 2 ** Math.ceil(Math.log2(Math.max(1, n)));

export function stepLayout(shape: DenseStepShape): StepLayout {
  const { R, B, sizes } = shape;
  const layers = sizes.length - 1;
  const wAt: number[] = [];
  const bAt: number[] = [];
  const actAt: number[] = [];
  let theta = 0;
  let act = 0;
  const tilings: WeightTiling[] = [];
  let groups = 0;
  for (let l = 0; l < layers; l++) {
    const [fanIn, fanOut] = [sizes[l] as number, sizes[l + 1] as number];
    wAt.push(theta);
    theta += R * fanIn * fanOut;
    bAt.push(theta);
    theta += R * fanOut;
    actAt.push(act);
    act += R * B * fanOut;
    const tj = Math.min(16, pow2AtLeast(fanOut));
    const tk = WORKGROUP / tj;
    const bc = Math.max(1, Math.min(B, Math.floor(2048 / tk), Math.floor(1024 / tj)));
    const tiling = { tk, tj, bc, tilesK: Math.ceil((fanIn + 1) / tk), tilesJ: Math.ceil(fanOut / tj), first: groups };
    groups += R * tiling.tilesK * tiling.tilesJ;
    tilings.push(tiling);
  }
  const rowTiles = Math.ceil(B / ROWS);
  const out = sizes[layers] as number;
  return {
    R,
    B,
    sizes,
    layers,
    wAt,
    bAt,
    thetaFloats: theta,
    actAt,
    actFloats: act,
    yAt: R * B * (sizes[0] as number),
    xyFloats: R * B * ((sizes[0] as number) + out),
    rowTiles,
    rowGroups: R * rowTiles,
    tilings,
    weightGroups: groups,
    lossGroups: Math.ceil(R / 64),
  };
}
