/**
 * Where everything of one fused looped-transformer step lives on the GPU (float offsets into the
 * engine's buffers). Plain numbers, so the WGSL generators and the kernel read one source.
 *
 * Bindings (one bind group layout for every kernel of the step):
 *   0 sc   the update rule's scalars, written each step (for Adam: lr, β₁, β₂, ε, …)
 *   1 xy   x (R, B, T, d) then y (R, B, P): whole prompts                    read-only
 *   2 th   θ: every parameter (R, …) back to back, in `flatOrder`           updated by the rule
 *   3 gr   ∇θ in θ's layout, then G partial sums of the row-reduced params,   zeroed each step
 *          then S − 1 more copies of ∇θ's other params (split-K products' shares)
 *   4 mo   the update rule's slots, each in θ's layout (Adam: m, then v)    updated by the rule
 *   5 ac   one iteration slot's saved activations of one block (below)      one buffer per (slot, block)
 *   6 st   the step's streams: Y, P, S, gradients, the loss (below)
 *
 * Rows: n = b·T' + t over the batch and the T' ≤ T tokens trained on, per replica; every (R, N, w)
 * field is replica-major. A field of `ac` or `st` named below is (R, N, width).
 */
import type { Readout } from '../../config.js';
import type { LoopedStepShape } from '../kernel-contract.js';
import { loopedParamNames } from '../kernel-contract.js';

/** Threads of the row kernels (LayerNorms, the head, the loss). */
export const ROW_THREADS = 64;
/** Workgroups per replica of the row kernels; each keeps its partial sums of γ, β (and the read-out). */
export const ROW_GROUPS = 256;

/** Parameters whose gradients are sums over rows, kept as ROW_GROUPS partials and summed by the update. */
const isRowReduced = (name: string) => /(ln[12F]\.[gb]|readOut\.[wb])$/.test(name);

export interface ParamSlot {
  /** Float offset in θ (and ∇θ, m, v) of replica 0. */
  at: number;
  /** Scalars per replica. */
  size: number;
}

export interface StepLayout {
  R: number;
  B: number;
  /** Prompt tokens given, T, and the T' trained on. */
  promptTokens: number;
  tokens: number;
  tokenSize: number;
  targets: number;
  D: number;
  F: number;
  heads: number;
  headSize: number;
  layers: number;
  readout: Readout;
  /** Rows per replica: B·T'. */
  N: number;
  /** Predictions per prompt: T'/2 (interleaved) or 1 (last). */
  outputs: number;
  /** Iteration slots of saved activations: the loss iterations T. */
  slots: number;
  params: Record<string, ParamSlot>;
  /** θ's parameter order: the row-reduced parameters last, from `rowReducedAt` on. */
  flatOrder: string[];
  thetaFloats: number;
  rowReducedAt: number;
  /** Floats of one partial-sum group (θ − rowReducedAt); gr holds ROW_GROUPS of them after ∇θ. */
  partialFloats: number;
  /** Most K splits of a weight-gradient product, S: copy s > 0 of ∇θ[0, rowReducedAt) is at gradCopiesAt + (s − 1)·rowReducedAt. */
  splits: number;
  gradCopiesAt: number;
  gradFloats: number;
  /** Offsets in each `ac` buffer (fields (R, N, width)): */
  act: {
    x: number; // block input (D)
    ln1: number; // LN₁(x) (D)
    qkv: number; // (3D)
    att: number; // attention output, heads merged (D)
    lse: number; // log-sum-exp of each head's scores (H)
    h: number; // x + attention (D)
    ln2: number; // LN₂(h) (D)
    u: number; // MLP pre-activation (F)
    stats1: number; // μ, 1/σ of LN₁ (2)
    stats2: number; // μ, 1/σ of LN₂ (2)
    hf: number; // the blocks' output, LN_f's input (D; last block only)
    statsF: number; // μ, 1/σ of LN_f (2; last block only)
  };
  actFloats: number;
  /** Offsets in `st`: */
  state: {
    y: number; // Y_t, the loop state (D)
    p: number; // P, the read-in (D)
    s: number; // the residual stream through the blocks (D)
    dS: number; // ∂L/∂(the stream) while going backward (D)
    dY: number; // ∂L/∂Y_{t−1} from iteration t's injection (D)
    dInj: number; // Σ over loss iterations of ∂L/∂(Y + P + pos) (D)
    dA: number; // scratch gradients (D)
    dB: number; // ∂L/∂h, the mid-block stream (D)
    dU: number; // ∂L/∂u (F)
    dQkv: number; // ∂L/∂qkv (3D)
    dvec: number; // rowsum(dO ⊙ O) per head (H)
    lossRows: number; // Σ over loss iterations of each row's squared error (1)
    lossOut: number; // (R,) the step's loss
  };
  stateFloats: number;
  /** Float offset of y in xy. */
  yAt: number;
  xyFloats: number;
}

/**
 * The layout of one step. `maxGradFloats` bounds ∇θ's buffer (the device's binding limit): the
 * split-K copies take what fits, up to 8.
 */
export function stepLayout(
  shape: LoopedStepShape,
  a: { layers: number; heads: number; readout: Readout; tokens: number; lossLoops: number },
  maxGradFloats = Number.POSITIVE_INFINITY,
): StepLayout {
  const { R, B, embedSize: D, hidden: F } = shape;
  const N = B * a.tokens;
  const H = a.heads;
  const names = loopedParamNames(a.layers);
  const flatOrder = [...names.filter((n) => !isRowReduced(n)), ...names.filter(isRowReduced)];
  const params: Record<string, ParamSlot> = {};
  let theta = 0;
  let rowReducedAt = -1;
  for (const name of flatOrder) {
    if (rowReducedAt < 0 && isRowReduced(name)) rowReducedAt = theta;
    const size = shape.sizes[name] as number;
    params[name] = { at: theta, size };
    theta += R * size;
  }
  const partialFloats = theta - rowReducedAt;
  const gradCopiesAt = theta + ROW_GROUPS * partialFloats;
  const splits = Math.max(1, Math.min(8, Math.floor((maxGradFloats - gradCopiesAt) / rowReducedAt) + 1));
  const fields = <K extends string>(widths: Record<K, number>): { at: Record<K, number>; floats: number } => {
    let at = 0;
    const out = {} as Record<K, number>;
    for (const [k, w] of Object.entries(widths) as [K, number][]) {
      out[k] = at;
      at += R * N * w;
    }
    return { at: out, floats: at };
  };
  const act = fields({
    x: D,
    ln1: D,
    qkv: 3 * D,
    att: D,
    lse: H,
    h: D,
    ln2: D,
    u: F,
    stats1: 2,
    stats2: 2,
    hf: D,
    statsF: 2,
  });
  const st = fields({
    y: D,
    p: D,
    s: D,
    dS: D,
    dY: D,
    dInj: D,
    dA: D,
    dB: D,
    dU: F,
    dQkv: 3 * D,
    dvec: H,
    lossRows: 1,
  });
  return {
    R,
    B,
    promptTokens: shape.promptTokens,
    tokens: a.tokens,
    tokenSize: shape.tokenSize,
    targets: shape.targets,
    D,
    F,
    heads: H,
    headSize: D / H,
    layers: a.layers,
    readout: a.readout,
    N,
    outputs: a.readout === 'interleaved' ? a.tokens / 2 : 1,
    slots: a.lossLoops,
    params,
    flatOrder,
    thetaFloats: theta,
    rowReducedAt,
    partialFloats,
    splits,
    gradCopiesAt,
    gradFloats: gradCopiesAt + (splits - 1) * rowReducedAt,
    act: act.at,
    actFloats: act.floats,
    state: { ...st.at, lossOut: st.floats },
    stateFloats: st.floats + R,
    yAt: R * B * shape.promptTokens * shape.tokenSize,
    xyFloats: R * B * (shape.promptTokens * shape.tokenSize + shape.targets),
  };
}
