/**
 * The recurrent convolutional network of Goel, Kakade, Kalai, Zhang 2022 (docs/papers.md §2):
 *
 *   x ─first layer→ e on an H×W grid of C-channel cells  (dense, or per cell: embed.ts)
 *   s_0 = 0;  s_t = step(s_{t−1}, e)  for t = 1..T   (one k×k filter, every cell, every step)
 *   ŷ = (1/√(HW)) Σ_cells mlp(s_T[cell]) + b          (pixel-wise MLP, summed)
 *
 * Only the first layer grows with the input; the filter and the readout are the same for every
 * grid size and every depth (rcnnParamCount).
 */
import * as tf from '@tensorflow/tfjs-core';
import { assert, assertConfigObject, assertParamShapes, showShape } from '@learnability/core';
import type { ForwardTrace, LayerTrace, Model, Params, Rng } from '@learnability/core';
import { embedInput, placeOnGrid } from './embed.js';
import { unrollKernelsReady } from './fused-unroll.js';
import { gateKernelsReady } from './gated-update.js';
import { initRcnnParams, paramSpecs } from './init.js';
import { rcnnParamCount } from './param-count.js';
import type { RcnnParamCount } from './param-count.js';
import { resolveRcnnConfig } from './rcnn-config.js';
import type { RcnnConfig, ResolvedRcnnConfig } from './rcnn-config.js';
import { readout } from './readout.js';
import { injection, recurrentStep, splitFilter } from './step.js';
import { unroll } from './unroll.js';
import type { UnrollWeights } from './unroll.js';

/** An RCNN with its resolved config and the parameter count part by part. */
export interface RcnnModel extends Model {
  readonly config: ResolvedRcnnConfig;
  /** Trainable scalars of one replica, part by part (only `embedding` grows with the input). */
  readonly paramCounts: RcnnParamCount;
}

/**
 * An RCNN for inputs of `config.inputShape`. Parameter names and shapes: init.ts. Accepts both task
 * layouts: `vector` ([d]) and `sequence` ([rows, cols]). Throws a LearnabilityError naming a bad option.
 */
export function createRcnn(config: RcnnConfig): RcnnModel {
  assertConfigObject('rcnn', config, '{ inputShape: [16] }');
  const c = resolveRcnnConfig(config);
  const counts = rcnnParamCount(c);

  /** Each parameter's shape, replica axis first (init.ts). */
  const paramShapes = paramSpecs(c).map((s) => [s.name, [c.replicas, ...s.shape]] as const);

  /** Once per call: the input's shape, and params of this config (another's would fail inside TF.js). */
  const check = (params: Params, x: tf.Tensor): void => {
    assertParamShapes('rcnn', params, paramShapes);
    assert(
      x.rank === c.inputShape.length + 2 &&
        x.shape[0] === c.replicas &&
        c.inputShape.every((d, i) => x.shape[i + 2] === d),
      () => `rcnn: input must have shape [${c.replicas}, B, ${c.inputShape.join(', ')}], but got ${showShape(x)}`,
    );
  };

  // Every entry point has checked the parameters (`check`) before it reads them.
  const weights = (params: Params): UnrollWeights => ({
    convW: params.convW as tf.Tensor,
    convB: params.convB as tf.Tensor,
  });

  /** The injected input on the grid: x (R, B, ...inputShape) → (R·B, H, W, C) */
  const inject = (params: Params, x: tf.Tensor): tf.Tensor4D => tf.tidy(() => placeOnGrid(c, embedInput(c, params, x)));

  const apply = (params: Params, x: tf.Tensor): tf.Tensor =>
    tf.tidy(() => {
      check(params, x);
      const e = inject(params, x); // (R·B, H, W, C)
      const sT = unroll(c, e, weights(params)); // (R·B, H, W, C)
      return readout(params, c.replicas, sT).output; // (R, B, out)
    });

  /**
   * Layers: the first layer (input → grid), each of the T steps (input [s_{t−1}; e], pre-activation
   * the conv output, output s_t), the readout's hidden layer and its summed output. Every tensor
   * is flattened to (R, B, ·). A plain unroll: this is for inspection and local rules, not for
   * gradients at large T.
   */
  const applyLayers = (params: Params, x: tf.Tensor): ForwardTrace => {
    check(params, x);
    const B = x.shape[1] as number;
    // (R·B, ...) or (R, B, ...) → (R, B, rest)
    const flat = (t: tf.Tensor): tf.Tensor => tf.reshape(t, [c.replicas, B, -1]);
    const layers: LayerTrace[] = [];
    const cells = embedInput(c, params, x);
    const e = placeOnGrid(c, cells);
    layers.push({ input: flat(x), preActivation: flat(cells), output: flat(e) });
    cells.dispose();
    const w = weights(params);
    const filters = splitFilter(w.convW);
    const inj = injection(e, filters.input, w.convB);
    let s = tf.zerosLike(e);
    for (let t = 0; t < c.depth; t++) {
      const input = tf.tidy(() => flat(tf.concat([s, e], 3)));
      const step = recurrentStep(c.update, c.depth, s, inj, filters.state);
      layers.push({ input, preActivation: flat(step.preActivation), output: flat(step.state) });
      tf.dispose([s, step.preActivation]);
      s = step.state;
    }
    const r = readout(params, c.replicas, s);
    layers.push({ input: flat(r.input), preActivation: flat(r.hiddenPre), output: flat(r.hidden) });
    layers.push({ input: flat(r.hidden), preActivation: flat(r.cellOutput), output: r.output.clone() });
    tf.dispose([
      e,
      s,
      ...filters.state,
      filters.stateWeights,
      ...filters.input,
      inj,
      r.input,
      r.hiddenPre,
      r.hidden,
      r.cellOutput,
    ]);
    return { layers, output: r.output };
  };

  return {
    name: 'rcnn',
    config: c,
    paramCounts: counts,
    replicas: c.replicas,
    inputShape: c.inputShape,
    outputSize: c.outputSize,
    layouts: ['vector', 'sequence'],
    paramCount: counts.total,
    init: (rngs: readonly Rng[]) => initRcnnParams(c, rngs),
    apply,
    applyLayers,
    describe: () => ({
      name: 'rcnn',
      ...c,
      inputShape: [...c.inputShape],
      paramCount: counts.total,
      paramCounts: { ...counts },
    }),
    describeKernels: () => {
      if (c.update !== 'gated') return null;
      if (unrollKernelsReady(c.channels))
        return `the recurrent steps (convolution and gated update) run as one ${tf.getBackend()} kernel each way`;
      return gateKernelsReady(c.channels) ? `the gated update runs as a ${tf.getBackend()} kernel` : null;
    },
  };
}
