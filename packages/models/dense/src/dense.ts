import * as tf from '@tensorflow/tfjs-core';
import {
  assert,
  assertConfigObject,
  assertInt,
  assertParamShapes,
  assertRngs,
  resolveOptions,
  showShape,
} from '@learnability/core';
import type { ForwardTrace, LayerTrace, Model, Params, Rng } from '@learnability/core';
import { activate } from './activations.js';
import { DENSE_SCHEMA } from './dense-config.js';
import { denseFusedSgdStep } from './fused/fused-step.js';
import type { DenseConfig, ResolvedDenseConfig } from './dense-config.js';

/** A dense MLP model with its resolved config and layer sizes. */
export interface DenseModel extends Model {
  readonly config: ResolvedDenseConfig;
  /** [inputSize, ...widths, outputSize]. */
  readonly sizes: readonly number[];
}

/** Fills `out` with U(−bound, bound) values. */
function uniforms(rng: Rng, out: Float32Array, bound: number): void {
  for (let i = 0; i < out.length; i++) out[i] = (2 * rng.uniform() - 1) * bound;
}

/**
 * Parameter names: layer l has weight `w{l}` (R, fan_in, fan_out) and bias `b{l}` (R, 1, fan_out);
 * the last layer is the linear readout.
 */
export function createDense(config: DenseConfig): DenseModel {
  assertConfigObject('dense', config, '{ inputSize: 50, widths: [1000] }');
  const c: ResolvedDenseConfig = {
    outputSize: 1,
    replicas: 1,
    ...resolveOptions('dense', DENSE_SCHEMA, config, ['inputSize', 'outputSize', 'replicas']),
  };
  assertInt('dense.inputSize', c.inputSize, 1);
  assertInt('dense.outputSize', c.outputSize, 1);
  assertInt('dense.replicas', c.replicas, 1);
  const sizes = [c.inputSize, ...c.widths, c.outputSize];
  const layerCount = sizes.length - 1;
  const ntk = c.parameterization === 'ntk';
  const paramCount = sizes.slice(1).reduce((sum, fanOut, l) => sum + (sizes[l] as number) * fanOut + fanOut, 0);

  const init = (rngs: readonly Rng[]): Params => {
    assertRngs('dense', rngs, c.replicas);
    const params: Params = {};
    for (let l = 0; l < layerCount; l++) {
      const fanIn = sizes[l] as number;
      const fanOut = sizes[l + 1] as number;
      const w = new Float32Array(c.replicas * fanIn * fanOut);
      const b = new Float32Array(c.replicas * fanOut);
      const wStd = ntk ? 1 : 1 / Math.sqrt(fanIn);
      const bStd = c.bias === 'unit' ? 1 : c.bias === 'fan-in' ? 1 / Math.sqrt(fanIn) : 0;
      rngs.forEach((rng, r) => {
        // Each replica draws its whole layer from its own stream: weights, then biases.
        const layerRng = rng.fork(`layer${l}`);
        const wr = w.subarray(r * fanIn * fanOut, (r + 1) * fanIn * fanOut);
        const br = b.subarray(r * fanOut, (r + 1) * fanOut);
        if (c.init === 'torch-linear') {
          // nn.Linear.reset_parameters: U(−1/√fan_in, 1/√fan_in) for both.
          uniforms(layerRng, wr, 1 / Math.sqrt(fanIn));
          uniforms(layerRng, br, 1 / Math.sqrt(fanIn));
          return;
        }
        layerRng.normals(wr, wStd);
        if (bStd > 0) layerRng.normals(br, bStd);
      });
      params[`w${l}`] = tf.tensor3d(w, [c.replicas, fanIn, fanOut]);
      params[`b${l}`] = tf.tensor3d(b, [c.replicas, 1, fanOut]);
    }
    return params;
  };

  /** Each parameter's shape: weight l (R, fan_in, fan_out), bias l (R, 1, fan_out). */
  const paramShapes = Array.from({ length: layerCount }, (_, l) => [
    [`w${l}`, [c.replicas, sizes[l] as number, sizes[l + 1] as number]],
    [`b${l}`, [c.replicas, 1, sizes[l + 1] as number]],
  ]).flat() as [string, number[]][];

  /** Once per call, before any layer runs: params of another config would broadcast, or strand a trace. */
  const checkParams = (params: Params): void => assertParamShapes('dense', params, paramShapes);
  const weight = (params: Params, name: string): tf.Tensor => params[name] as tf.Tensor;

  const checkInput = (x: tf.Tensor): void => {
    assert(
      x.rank === 3 && x.shape[0] === c.replicas && x.shape[2] === c.inputSize,
      () => `dense: input must have shape [${c.replicas}, B, ${c.inputSize}], but got ${showShape(x)}`,
    );
  };

  // z_l = a_{l−1} W_l (/√fan_in for NTK) + b_l.   (R, B, fan_in) @ (R, fan_in, fan_out) → (R, B, fan_out)
  const preActivation = (params: Params, a: tf.Tensor, l: number): tf.Tensor => {
    const z = tf.matMul(a, weight(params, `w${l}`));
    const scaled = ntk ? tf.mul(z, 1 / Math.sqrt(sizes[l] as number)) : z;
    return tf.add(scaled, weight(params, `b${l}`));
  };

  const apply = (params: Params, x: tf.Tensor): tf.Tensor =>
    tf.tidy(() => {
      checkInput(x);
      checkParams(params);
      let a = x;
      for (let l = 0; l < layerCount; l++) {
        const z = preActivation(params, a, l);
        a = l < layerCount - 1 ? activate(c.activation, z, c.degree) : z;
      }
      return a;
    });

  const applyLayers = (params: Params, x: tf.Tensor): ForwardTrace => {
    checkInput(x);
    checkParams(params);
    const layers: LayerTrace[] = [];
    let a = x;
    for (let l = 0; l < layerCount; l++) {
      const input = a;
      const z = tf.tidy(() => preActivation(params, input, l));
      const output = l < layerCount - 1 ? activate(c.activation, z, c.degree) : z.clone();
      // The first layer's input is the caller's x: hand back a clone so callers dispose uniformly.
      layers.push({ input: l === 0 ? input.clone() : input, preActivation: z, output });
      a = output;
    }
    return { layers, output: a.clone() };
  };

  return {
    name: 'dense',
    config: c,
    sizes,
    replicas: c.replicas,
    inputShape: [c.inputSize],
    outputSize: c.outputSize,
    layouts: ['vector'],
    paramCount,
    init,
    apply,
    applyLayers,
    fusedSgdStep: denseFusedSgdStep(c, sizes),
    describe: () => ({ name: 'dense', ...c, paramCount }),
  };
}
