/**
 * How much memory one example costs each model, from the model's resolved description
 * (`model.describe()`): rough counts of float32 values, good to a small factor, enough to tell a
 * run that fits from one that needs 100× the memory there is.
 */
import type { Model, PartConfig } from '@learnability/core';
import { MODELS } from '../parts.js';

/** A model's memory per example and per replica, in float32 values. */
export interface ModelFootprint {
  /** Values one training example keeps for the backward pass (each layer's pre-activation and output). */
  activations: number;
  /** Values one example holds at once in a forward pass without gradient (evaluation). */
  forwardActivations: number;
  /** Words for one evaluated example's activations. */
  forwardSay: string;
  /** Values of the largest single activation tensor, per example. */
  largestActivation: number;
  /** Values of the largest parameter tensor of one replica. */
  largestParam: number;
  /** Words for one example's activations in an error (`2 × 1,000 units`). */
  activationsSay: string;
  /** The config path that sets the model's size, blamed when the model is too big. */
  sizePath: string;
  /** How many times its default that size is (≥ 1 means "grown"). */
  sizeRatio: number;
  /** The size field to blame for the evaluation's activations, where it is not `sizePath`. */
  forwardSize?: { sizePath: string; sizeRatio: number };
  /** The size field to blame for the training activations, where it is not `sizePath`. */
  trainSize?: { sizePath: string; sizeRatio: number };
}

const count = (n: number): string => n.toLocaleString('en-US');

/** A number field of a model description; 0 when absent. */
function field(d: Record<string, unknown>, key: string): number {
  const v = d[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

/** The registry default of `model.<key>` (for widths: the widest default layer). */
function defaultOf(model: string, key: string): number {
  const v = MODELS[model]?.fields[key]?.default;
  if (Array.isArray(v)) return Math.max(1, ...v.filter((x): x is number => typeof x === 'number'));
  return typeof v === 'number' && v > 0 ? v : 1;
}

/** The size field (of `keys`) furthest above its default. */
function grownMost(
  model: string,
  d: Record<string, unknown>,
  keys: readonly string[],
): { sizePath: string; sizeRatio: number } {
  let best = { sizePath: `model.${keys[0] ?? 'name'}`, sizeRatio: 0 };
  for (const key of keys) {
    const ratio = field(d, key) / defaultOf(model, key);
    if (ratio > best.sizeRatio) best = { sizePath: `model.${key}`, sizeRatio: ratio };
  }
  return best;
}

/**
 * MLP: each hidden unit holds three values per example (matMul output, bias sum, activation);
 * measured on wasm, `run sparse-parity` peak RSS grows by ≈ 3 × 4 B per unit per evaluated row.
 */
function dense(d: Record<string, unknown>): ModelFootprint {
  const widths = Array.isArray(d.widths) ? d.widths.filter((w): w is number => typeof w === 'number') : [];
  const sizes = [field(d, 'inputSize'), ...widths, field(d, 'outputSize')];
  const hidden = widths.reduce((a, b) => a + b, 0);
  const largestParam = Math.max(0, ...sizes.slice(1).map((s, i) => s * (sizes[i] ?? 0)));
  const widest = Math.max(field(d, 'outputSize'), ...widths);
  return {
    activations: 3 * hidden + field(d, 'outputSize'),
    forwardActivations: 3 * hidden + field(d, 'outputSize'),
    largestActivation: widest,
    largestParam,
    activationsSay: `(3 × ${count(hidden)} + ${count(field(d, 'outputSize'))})`,
    forwardSay: `(3 × ${count(hidden)} + ${count(field(d, 'outputSize'))})`,
    sizePath: 'model.widths',
    sizeRatio: widest / defaultOf('dense', 'widths'),
  };
}

/**
 * ReLU RNN: T steps of `width` n. Training holds, per step and example, the pre-activation, the
 * hidden state and the scan's own and its gradient's intermediates: measured on wasm (live tensor
 * bytes, align-add at n = 64, T = 100, batch 50), values an example: 9.9·T·n with SGD (autodiff),
 * 11.4·T·n with the Align trainers' backprop and FA, 19.5·T·n with Align-ada and Align-zero, whose
 * backward pass through θ₀ (its states, gates and projected error beside the current ones) lives
 * in one tidy until the update; so 6·T·n and 10·T·n before the estimate's × 2 for the backward
 * pass. Evaluation keeps the pre-activation and state per step.
 */
function rnn(d: Record<string, unknown>, trainer?: PartConfig): ModelFootprint {
  const T = field(d, 'steps');
  const n = field(d, 'width');
  const o = field(d, 'outputSize');
  const align = typeof trainer?.name === 'string' && ALIGN_RULES.includes(trainer.name);
  const kept = align ? 10 : 6;
  return {
    activations: T * (kept * n + o),
    forwardActivations: T * (2 * n + o),
    largestActivation: T * n,
    largestParam: Math.max(n * n, n * field(d, 'inputSize')),
    activationsSay: `${count(T)} steps × (${kept} × ${count(n)} + ${count(o)})`,
    forwardSay: `${count(T)} steps × (2 × ${count(n)} + ${count(o)})`,
    ...grownMost('rnn', d, ['width']),
  };
}

/** Trainers whose backward pass runs through θ₀ beside the current network (`@learnability/align`). */
const ALIGN_RULES: readonly string[] = ['align-zero', 'align-ada'];

/** Values a cell holds per channel during one evaluated step of the RCNN (see `rcnn`). */
const EVAL_CHANNELS_PER_CELL = 13;

/** RCNN: per kept step the grid's state, gate and candidate (≈ 5C per cell); the readout's hidden layer. */
function rcnn(d: Record<string, unknown>): ModelFootprint {
  const cells = field(d, 'gridHeight') * field(d, 'gridWidth');
  const C = field(d, 'channels');
  const T = field(d, 'depth');
  const every = field(d, 'checkpointEvery');
  // Checkpointing keeps the segment boundaries and one segment's steps (rcnn-config.ts).
  const kept = every > 0 ? Math.ceil(T / every) + every : T;
  const counts = typeof d.paramCounts === 'object' && d.paramCounts !== null ? Object.values(d.paramCounts) : [];
  const readout = cells * field(d, 'readoutWidth');
  // Evaluation frees each state once the next exists (unroll.ts), so it holds one step whatever T:
  // the injection, the state and a step's intermediates, ≈ 13C a cell (measured with tf.profile on
  // cpu: 5,918–6,166 floats an example at T = 14–256, C = 8, 45 cells, readout included).
  return {
    activations: kept * cells * 5 * C + 2 * readout,
    forwardActivations: EVAL_CHANNELS_PER_CELL * cells * C + 2 * readout,
    largestActivation: Math.max(cells * 2 * C, readout),
    largestParam: Math.max(0, ...counts.filter((v): v is number => typeof v === 'number')),
    activationsSay: `(${count(kept)} steps × ${count(cells)} cells × 5 × ${count(C)} channels + ${count(2 * readout)})`,
    forwardSay: `(${count(cells)} cells × ${EVAL_CHANNELS_PER_CELL} × ${count(C)} channels + ${count(2 * readout)})`,
    ...grownMost('rcnn', d, ['channels', 'depth', 'gridWidth', 'gridHeight', 'readoutWidth']),
    forwardSize: grownMost('rcnn', d, ['channels', 'gridWidth', 'gridHeight', 'readoutWidth']),
  };
}

/**
 * Transformer: a block keeps (19 + 3·mlpRatio)·T·D values and heads·T² attention weights per
 * example, every output TF.js makes in it (the tape keeps them all until the backward pass): the
 * input injection (2·T·D), both LayerNorms' inputs and outputs (4), the qkv product and its bias
 * (6), attention's output (1) and weights, the projection, its bias and the residual (3), the MLP's
 * first product, bias and GELU (3·mlpRatio), its second product, bias and residual (3). Training
 * keeps L blocks × the loop iterations that get gradient (looped-adam's lossLoops, capped at b);
 * evaluation frees each block's inside (block.ts runs it in a tf.tidy), so it holds one block and
 * the loop's own four T·D (state, injection, LN_f, read-out). Measured on wasm, the tensors'
 * `_malloc`ed bytes in one step of `looped-linear-regression` at full size (T = 82, D = 256, 8
 * heads, 15 blocks with gradient): 1.16 M values per block and trained example (estimated 2 ×
 * 704,544 = 1.41 M), 0.78 M per evaluated example (estimated 0.79 M). The formula before this one
 * counted (6 + 2·mlpRatio)·T·D + 2·heads·T², 30–46 % under both, so a run that needed more than
 * the 4 GiB wasm heap passed the check and failed later.
 */
function loopedTransformer(d: Record<string, unknown>, trainer?: PartConfig): ModelFootprint {
  const T = field(d, 'tokens');
  const D = field(d, 'embedSize');
  const heads = field(d, 'heads');
  const m = field(d, 'mlpRatio');
  const L = field(d, 'layers');
  const loops = field(d, 'loops');
  const lossLoops = typeof trainer?.lossLoops === 'number' ? Math.min(trainer.lossLoops, loops) : loops;
  const perBlock = (19 + 3 * m) * T * D + heads * T * T;
  return {
    activations: L * lossLoops * perBlock + T * D,
    forwardActivations: perBlock + 4 * T * D,
    largestActivation: Math.max(m * T * D, heads * T * T),
    largestParam: Math.max(m * D * D, 3 * D * D, D * field(d, 'tokenSize')),
    activationsSay: `(${count(L * lossLoops)} blocks × ${count(perBlock)} + ${count(T * D)})`,
    forwardSay: `(${count(perBlock)} + ${count(4 * T * D)})`,
    // Parameters, one tensor and the evaluation grow with the block's shape, never with the loops.
    ...grownMost('looped-transformer', d, ['embedSize', 'layers', 'mlpRatio', 'heads']),
    // Training grows with the loops that keep their blocks, min(lossLoops, b): blamed by that count.
    trainSize: loopsBlamed(
      grownMost('looped-transformer', { ...d, loops: lossLoops }, [
        'embedSize',
        'loops',
        'layers',
        'mlpRatio',
        'heads',
      ]),
      lossLoops < loops,
    ),
  };
}

/**
 * Training keeps L × min(lossLoops, b) blocks: where the trainer's lossLoops is below the model's
 * loops b, that is the count to lower (lowering b changes nothing until it passes lossLoops).
 */
function loopsBlamed(
  size: { sizePath: string; sizeRatio: number },
  capped: boolean,
): { sizePath: string; sizeRatio: number } {
  return capped && size.sizePath === 'model.loops' ? { ...size, sizePath: 'trainer.lossLoops' } : size;
}

const FOOTPRINTS: Record<string, (d: Record<string, unknown>, trainer?: PartConfig) => ModelFootprint> = {
  dense,
  rnn,
  rcnn,
  'looped-transformer': loopedTransformer,
};

/**
 * The footprint of a built model (trained by `trainer`, when its options matter). A model this
 * file does not know counts its parameters only (activations unknown, reported as 0).
 */
export function modelFootprint(model: Model, trainer?: PartConfig): ModelFootprint {
  const d = model.describe();
  const known = FOOTPRINTS[model.name];
  if (known) return known(d, trainer);
  return {
    activations: 0,
    forwardActivations: 0,
    largestActivation: 0,
    largestParam: model.paramCount,
    activationsSay: '0',
    forwardSay: '0',
    sizePath: 'model',
    sizeRatio: 1,
  };
}
