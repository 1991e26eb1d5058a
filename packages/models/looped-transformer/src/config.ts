import { assert, assertInt, defineSchema, resolveOptions, showValue } from '@learnability/core';
import type { OptionsOf } from '@learnability/core';

/**
 * Where predictions are read.
 * - `interleaved`: the prompt is x₁, ỹ₁, …, x_P, ỹ_P (2P tokens); one prediction at every x
 *   token, so outputSize = P (Yang et al. 2023, docs/papers.md §5).
 * - `last`: one prediction at the last token (outputSize 1), e.g. `@learnability/parity`'s
 *   in-context parity prompt whose last row is the query.
 */
export type Readout = 'interleaved' | 'last';

export const READOUTS: readonly Readout[] = ['interleaved', 'last'];

/**
 * A looped transformer's options (Yang et al. 2023: D = 256, 8 heads). `layers: L, loops: 1` is
 * the standard L-layer transformer (the paper's baseline: 12); `layers: 1, loops: b` the looped
 * one (the paper: b = 20 for linear regression, T = 15; its figures score the model after 500
 * loops, which `applyLoops` can run).
 */
export const LOOPED_TRANSFORMER_SCHEMA = defineSchema(
  {
    embedSize: {
      type: 'int',
      default: 256,
      min: 1,
      doc: 'embedding width D',
      why: 'Yang et al. 2023 (and Garg et al. 2022)',
    },
    heads: { type: 'int', default: 8, min: 1, doc: 'attention heads (divide D)', why: 'Yang et al. 2023' },
    layers: {
      type: 'int',
      default: 1,
      min: 1,
      doc: 'blocks per loop iteration L',
      why: "Yang et al.'s looped model; their unlooped baseline has 12",
    },
    loops: {
      type: 'int',
      default: 1,
      min: 1,
      doc: 'loop iterations b (evaluation; the trainer caps its curriculum here)',
      why: 'one pass, as an unlooped transformer; the looped presets set b',
    },
    mlpRatio: { type: 'int', default: 4, min: 1, doc: 'MLP width as a multiple of D', why: "GPT-2's 4D" },
  },
  [
    {
      paths: ['heads', 'embedSize'],
      test: (o) => o.embedSize % o.heads === 0,
      message: (o) => `heads (${o.heads}) must divide embedSize (${o.embedSize})`,
    },
  ],
);

export type LoopedTransformerOptions = OptionsOf<typeof LOOPED_TRANSFORMER_SCHEMA.fields>;

/** A GPT-2 pre-LN transformer applied `loops` times with input injection; options not given take their defaults. */
export interface LoopedTransformerConfig extends Partial<LoopedTransformerOptions> {
  /** Prompt tokens T (set from the task; 2P for the interleaved layout). */
  tokens: number;
  /** Width of one input token d (set from the task). */
  tokenSize: number;
  /** Where predictions are read (set from the task). Default 'interleaved'. */
  readout?: Readout;
  /** ε of every LayerNorm. Default 1e-5 (GPT-2). */
  layerNormEpsilon?: number;
  /** Std of the GPT-2 weights (attention, MLP, positions). Default 0.02 (GPT-2). */
  initStd?: number;
  /** Independent networks trained as one batched program. Default 1. */
  replicas?: number;
}

export type ResolvedLoopedTransformerConfig = Required<LoopedTransformerConfig>;

/** Fills defaults and checks every field; errors name the field (`looped-transformer.heads: …`). */
export function resolveLoopedTransformerConfig(config: LoopedTransformerConfig): ResolvedLoopedTransformerConfig {
  const c: ResolvedLoopedTransformerConfig = {
    readout: 'interleaved',
    layerNormEpsilon: 1e-5,
    initStd: 0.02,
    replicas: 1,
    ...resolveOptions('looped-transformer', LOOPED_TRANSFORMER_SCHEMA, config, [
      'tokens',
      'tokenSize',
      'readout',
      'layerNormEpsilon',
      'initStd',
      'replicas',
    ]),
  };
  const p = 'looped-transformer';
  assertInt(`${p}.tokens`, c.tokens, 1);
  assertInt(`${p}.tokenSize`, c.tokenSize, 1);
  assertInt(`${p}.replicas`, c.replicas, 1);
  assert(
    READOUTS.includes(c.readout),
    () => `${p}.readout must be one of ${READOUTS.join(', ')}, but got ${String(c.readout)}`,
  );
  assert(
    c.readout !== 'interleaved' || c.tokens % 2 === 0,
    () =>
      `${p}: the interleaved readout needs an even token count (x, y pairs), but got ${c.tokens}; use readout "last" for other prompts`,
  );
  // A string passes `> 0` ("1e-5" > 0) and fails in apply; Infinity gives NaN outputs.
  for (const key of ['layerNormEpsilon', 'initStd'] as const) {
    const v: unknown = c[key];
    assert(
      typeof v === 'number' && Number.isFinite(v) && v > 0,
      () => `${p}.${key} must be a finite number > 0, but got ${showValue(v)}`,
    );
  }
  return c;
}

/** Trainable scalars of one GPT-2 pre-LN block: 12D² + 13D (with mlpRatio 4). */
export function blockParamCount(embedSize: number, mlpRatio = 4): number {
  // From plain JS a string D concatenated ('256' * 3 is a number, '256' + x is not): a count of nonsense.
  assertInt('blockParamCount: embedSize', embedSize, 1);
  assertInt('blockParamCount: mlpRatio', mlpRatio, 1);
  const D = embedSize;
  const H = mlpRatio * D;
  // qkv (D·3D + 3D) + proj (D² + D) + fc (D·H + H) + out (H·D + D) + two LayerNorms (4D).
  return 3 * D * D + 3 * D + D * D + D + D * H + H + H * D + D + 4 * D;
}

/**
 * Trainable scalars of a whole model of one replica: read-in, positions, blocks, final LN, read-out.
 * Takes the config `createLoopedTransformer` takes (defaults filled, every field checked as there).
 */
export function loopedTransformerParamCount(config: LoopedTransformerConfig): number {
  const c = resolveLoopedTransformerConfig(config);
  const D = c.embedSize;
  return c.tokenSize * D + D + c.tokens * D + c.layers * blockParamCount(D, c.mlpRatio) + 2 * D + D + 1;
}
