import * as tf from '@tensorflow/tfjs-core';
import { assert, assertConfigObject, assertInt, assertParamShapes, showShape } from '@learnability/core';
import type { ForwardTrace, LayerTrace, Model, Params, Rng } from '@learnability/core';
import { gpt2Block } from './block.js';
import { loopedTransformerParamCount, resolveLoopedTransformerConfig } from './config.js';
import type { LoopedTransformerConfig, ResolvedLoopedTransformerConfig } from './config.js';
import { loopedFusedStep } from './fused/fused-step.js';
import type { LoopedFusedStep } from './fused/fused-step.js';
import { layerNorm } from './layer-norm.js';
import { linear } from './linear.js';
import { initParams, param, paramSpecs } from './params.js';

/**
 * The looped transformer of Yang, Lee, Nowak, Papailiopoulos 2023 (docs/papers.md §5), in pieces a
 * trainer can drive loop by loop:
 *
 *   P = readIn(x);  Y₀ = 0;  Y_t = LN_f(blocks(Y_{t−1} + P + pos));  ŷ_t = readOut(Y_t)
 *
 * Input injection (+P), the position embeddings and LN_f are inside the loop, as in the authors'
 * code. With loops = 1 this is GPT-2 with `inputs_embeds` — the standard L-layer baseline.
 * Every piece also takes a prompt prefix of T' ≤ T tokens (causal attention makes a prefix's
 * predictions those of the full prompt), which is how the trainer's points curriculum works.
 */
export interface LoopedTransformerModel extends Model {
  readonly config: ResolvedLoopedTransformerConfig;
  /** Read-in: x (R, B, T', d) → P (R, B, T', D). */
  embed(params: Params, x: tf.Tensor): tf.Tensor;
  /** One loop iteration: Y (R, B, T', D), P (R, B, T', D) → Y' = LN_f(blocks(Y + P + pos)). */
  iterate(params: Params, y: tf.Tensor, p: tf.Tensor): tf.Tensor;
  /** Read-out: Y (R, B, T', D) → (R, B, T'/2) at the x tokens (interleaved) or (R, B, 1) at the last. */
  readout(params: Params, y: tf.Tensor): tf.Tensor;
  /** `apply` with another loop count (inference may loop past the trained b). */
  applyLoops(params: Params, x: tf.Tensor, loops: number): tf.Tensor;
  /** The prediction after every iteration 1..loops: `loops` tensors (R, B, outputs) the caller owns. */
  predictionsByLoop(params: Params, x: tf.Tensor, loops: number): tf.Tensor[];
  /** A whole truncated-loop training step as one fused kernel, where the backend has it (fused/); the trainer gives the update rule. */
  readonly fusedStep: LoopedFusedStep;
}

/** Type guard for trainers that need the loop structure. */
export function isLoopedTransformer(model: Model): model is LoopedTransformerModel {
  // A guard answers for anything (null, a config): it tells, never throws.
  const m = (model ?? {}) as Partial<LoopedTransformerModel>;
  return typeof m.embed === 'function' && typeof m.iterate === 'function' && typeof m.readout === 'function';
}

/** A looped transformer (`layers: 1, loops: b`) or a standard one (`layers: L, loops: 1`). */
export function createLoopedTransformer(config: LoopedTransformerConfig): LoopedTransformerModel {
  assertConfigObject('looped-transformer', config, '{ tokens: 82, tokenSize: 20, embedSize: 256, heads: 8 }');
  const c = resolveLoopedTransformerConfig(config);
  const paramCount = loopedTransformerParamCount(c);
  const shape = { heads: c.heads, layerNormEpsilon: c.layerNormEpsilon };

  /**
   * A tensor of the loop's layout, (R, B, T' ≤ tokens, width): an input (width d), or a hidden state
   * (width D) given to the public pieces `iterate` and `readout`, where one of another shape reached
   * TF.js as a fractional shape or a slice past the end, in its own words. `even`: it is read out.
   */
  const checkLayout = (who: string, what: string, x: tf.Tensor, width: number, even: boolean): void => {
    const [R, , T, w] = x instanceof tf.Tensor ? x.shape : [];
    assert(
      x instanceof tf.Tensor &&
        x.rank === 4 &&
        R === c.replicas &&
        w === width &&
        (T as number) >= 1 &&
        (T as number) <= c.tokens,
      () => `${who}: ${what} must have shape [${c.replicas}, B, T ≤ ${c.tokens}, ${width}], but got ${showShape(x)}`,
    );
    assert(
      !even || c.readout !== 'interleaved' || (T as number) % 2 === 0,
      () => `${who}: the interleaved readout needs an even token count, but got ${T}`,
    );
  };
  const checkInput = (x: tf.Tensor) => checkLayout('looped-transformer', 'input', x, c.tokenSize, true);
  const checkState = (piece: 'iterate' | 'readout', what: string, y: tf.Tensor) =>
    checkLayout(`looped-transformer.${piece}`, what, y, c.embedSize, piece === 'readout');

  /** Each parameter's shape, replica axis first (params.ts). */
  const paramShapes = paramSpecs(c).map((s) => [s.name, [c.replicas, ...s.shape]] as const);

  // The forward passes embed first: params of another config are refused here, once per call.
  const embed = (params: Params, x: tf.Tensor): tf.Tensor => {
    checkInput(x);
    assertParamShapes('looped-transformer', params, paramShapes);
    return linear(x, param(params, 'readIn.w'), param(params, 'readIn.b')); // (R, B, T', d) -> (R, B, T', D)
  };

  /** Y + P + pos, then the blocks (before LN_f): (R, B, T', D). */
  const blocks = (params: Params, y: tf.Tensor, p: tf.Tensor): { input: tf.Tensor; output: tf.Tensor } =>
    tf.tidy(() => {
      const [R, , T] = p.shape as [number, number, number];
      const pos = tf.slice(param(params, 'pos'), [0, 0, 0], [R, T, c.embedSize]); // (R, T', D)
      const input = tf.add(tf.add(y, p), tf.expandDims(pos, 1));
      let h = input;
      for (let l = 0; l < c.layers; l++) h = gpt2Block(params, l, h, shape);
      return { input, output: h };
    });

  const finalNorm = (params: Params, h: tf.Tensor) =>
    layerNorm(h, param(params, 'lnF.g'), param(params, 'lnF.b'), c.layerNormEpsilon);

  const iterate = (params: Params, y: tf.Tensor, p: tf.Tensor): tf.Tensor => {
    checkState('iterate', 'the hidden state', y);
    checkState('iterate', "the injected input (embed's output)", p);
    assert(
      tf.util.arraysEqual(y.shape, p.shape),
      () =>
        `looped-transformer.iterate: the hidden state ${showShape(y)} and the injected input ${showShape(p)} must have one shape`,
    );
    return tf.tidy(() => finalNorm(params, blocks(params, y, p).output));
  };

  const readout = (params: Params, y: tf.Tensor): tf.Tensor => {
    checkState('readout', 'the hidden state', y);
    return tf.tidy(() => {
      const [R, B, T, D] = y.shape as [number, number, number, number];
      // interleaved: (R, B, T', D) -> (R, B·T'/2, 2D), the x token first in each pair -> (R, B·T'/2, D)
      // last: (R, B, T', D) -> (R, B, 1, D). Rank-3 and rank-4 slices (rank 5 is slow on wasm).
      const picked =
        c.readout === 'interleaved'
          ? tf.reshape(tf.slice(tf.reshape(y, [R, (B * T) / 2, 2 * D]), [0, 0, 0], [R, (B * T) / 2, D]), [
              R,
              B,
              T / 2,
              D,
            ])
          : tf.slice(y, [0, 0, T - 1, 0], [R, B, 1, D]);
      const out = linear(picked, param(params, 'readOut.w'), param(params, 'readOut.b')); // (R, B, O', 1)
      return tf.reshape(out, out.shape.slice(0, 3));
    });
  };

  const predictionsByLoop = (params: Params, x: tf.Tensor, loops: number): tf.Tensor[] => {
    assertInt('looped-transformer: loops', loops, 1);
    const p = embed(params, x);
    let y: tf.Tensor = tf.zerosLike(p);
    const out: tf.Tensor[] = [];
    for (let t = 0; t < loops; t++) {
      const next = iterate(params, y, p);
      y.dispose();
      y = next;
      out.push(readout(params, y));
    }
    tf.dispose([p, y]);
    return out;
  };

  const applyLoops = (params: Params, x: tf.Tensor, loops: number): tf.Tensor => {
    assertInt('looped-transformer: loops', loops, 1);
    return tf.tidy(() => {
      const p = embed(params, x);
      let y: tf.Tensor = tf.zerosLike(p);
      for (let t = 0; t < loops; t++) y = iterate(params, y, p);
      return readout(params, y);
    });
  };

  const applyLayers = (params: Params, x: tf.Tensor): ForwardTrace => {
    const layers: LayerTrace[] = [];
    const p = embed(params, x);
    let y: tf.Tensor = tf.zerosLike(p);
    for (let t = 0; t < c.loops; t++) {
      const { input, output } = blocks(params, y, p);
      // One trace entry per loop iteration: Y + P + pos, the blocks' output, and Y_t = LN_f(·).
      const next = finalNorm(params, output);
      layers.push({ input, preActivation: output, output: next });
      if (t === 0) y.dispose();
      y = next;
    }
    const output = readout(params, y);
    p.dispose();
    return { layers, output };
  };

  return {
    name: 'looped-transformer',
    config: c,
    replicas: c.replicas,
    inputShape: [c.tokens, c.tokenSize],
    outputSize: c.readout === 'interleaved' ? c.tokens / 2 : 1,
    layouts: ['sequence'],
    paramCount,
    init: (rngs: readonly Rng[]) => initParams(c, rngs),
    apply: (params, x) => applyLoops(params, x, c.loops),
    applyLayers,
    embed,
    // Called alone, they check the params as embed does (the loops inside check them once, there).
    iterate: (params, y, p) => {
      assertParamShapes('looped-transformer', params, paramShapes);
      return iterate(params, y, p);
    },
    readout: (params, y) => {
      assertParamShapes('looped-transformer', params, paramShapes);
      return readout(params, y);
    },
    applyLoops,
    predictionsByLoop,
    fusedStep: loopedFusedStep(c),
    describe: () => ({ name: 'looped-transformer', ...c, paramCount }),
  };
}
