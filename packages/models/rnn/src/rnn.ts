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
import { RNN_SCHEMA } from './rnn-config.js';
import { reluScan, reluStates, rowsOf, scanBack, scanKernelsReady } from './scan.js';
import type { ResolvedRnnConfig, RnnConfig } from './rnn-config.js';

/** A ReLU RNN model with its resolved config. */
export interface RnnModel extends Model {
  readonly config: ResolvedRnnConfig;
  /**
   * The whole forward pass, time-major, for credit rules that read every step at once: x
   * (R, B, T, d) → every pre-activation z and state h (T, R, B, n) and the output (R, B, T·o).
   * The recurrence is one kernel where the backend has it (scan.ts). Call inside a tidy.
   */
  sequence(params: Params, x: tf.Tensor): { z: tf.Tensor; h: tf.Tensor; output: tf.Tensor };
  /**
   * The signal back through time (scan.ts' `scanBack`): a, gate (T, R, B, n), w (R, n, n) →
   * g with g_{T−1} = a_{T−1}, g_t = a_t + (gate_{t+1} ⊙ g_{t+1})·wᵀ. Call inside a tidy.
   */
  scanBack(a: tf.Tensor, gate: tf.Tensor, w: tf.Tensor): tf.Tensor;
}

/** Parameter names and shapes (R replicas, d inputs, n hidden, o outputs per step). */
export const RNN_PARAMS = ['wih', 'whh', 'bh', 'who', 'bo'] as const;

/**
 * Parameters: `wih` (R, d, n), `whh` (R, n, n), `bh` (R, 1, n), `who` (R, n, o), `bo` (R, 1, o).
 * Input x (R, B, T, d); output (R, B, T·o), time-major within each example: entry t·o + k is
 * output k at step t — so a sequence task is a `Task` with inputShape [T, d] and outputSize T·o,
 * trained and scored by the loop like any other (MSE over every step and output).
 *
 * `applyLayers` exposes T + 1 layers: step t has input [x_t, h_{t−1}] (R, B, d + n),
 * pre-activation z_t and output h_t (R, B, n); the last is the readout, with input every h_t
 * (R, B, T·n) and pre-activation = output (R, B, T·o).
 */
export function createRnn(config: RnnConfig): RnnModel {
  assertConfigObject('rnn', config, '{ inputSize: 2, steps: 100 }');
  const c: ResolvedRnnConfig = {
    outputSize: 1,
    replicas: 1,
    ...resolveOptions('rnn', RNN_SCHEMA, config, ['inputSize', 'steps', 'outputSize', 'replicas']),
  };
  assertInt('rnn.inputSize', c.inputSize, 1);
  assertInt('rnn.steps', c.steps, 1);
  assertInt('rnn.outputSize', c.outputSize, 1);
  assertInt('rnn.replicas', c.replicas, 1);
  const { inputSize: d, steps: T, outputSize: o, width: n, replicas: R } = c;
  const paramCount = d * n + n * n + n + n * o + o;
  const shapes: Record<(typeof RNN_PARAMS)[number], [number, number]> = {
    wih: [d, n],
    whh: [n, n],
    bh: [1, n],
    who: [n, o],
    bo: [1, o],
  };

  const init = (rngs: readonly Rng[]): Params => {
    assertRngs('rnn', rngs, R);
    const params: Params = {};
    for (const name of RNN_PARAMS) {
      const [rows, cols] = shapes[name];
      const isBias = name === 'bh' || name === 'bo';
      // fan-in of the unit a bias feeds: d + n for the hidden state, n for the readout.
      const fanIn = name === 'bh' ? d + n : n;
      const std = !isBias ? 1 : c.bias === 'unit' ? 1 : c.bias === 'fan-in' ? 1 / Math.sqrt(fanIn) : 0;
      const values = new Float32Array(R * rows * cols);
      // Replica r draws each tensor from its own fork, so it equals a one-replica model with seed + r.
      if (std > 0)
        rngs.forEach((rng, r) => rng.fork(name).normals(values.subarray(r * rows * cols, (r + 1) * rows * cols), std));
      params[name] = tf.tensor3d(values, [R, rows, cols]);
    }
    return params;
  };

  // Every entry point has checked the parameters (`check`) before it reads one.
  const get = (params: Params, name: string): tf.Tensor => params[name] as tf.Tensor;

  /** Each parameter's shape, replica axis first. */
  const paramShapes = RNN_PARAMS.map((name) => [name, [R, ...shapes[name]]] as const);

  /** Once per call: the input's shape (B returned), and params of this config (another's would fail inside TF.js). */
  const check = (params: Params, x: tf.Tensor): number => {
    assertParamShapes('rnn', params, paramShapes);
    assert(
      x.rank === 4 && x.shape[0] === R && x.shape[2] === T && x.shape[3] === d,
      () => `rnn: input must have shape [${R}, B, ${T}, ${d}], but got ${showShape(x)}`,
    );
    return x.shape[1] as number;
  };

  /**
   * The input's share of every pre-activation, time-major: x_t W_ih/√d + b_h for all steps at
   * once, (R, T·B, d) @ (R, d, n) → (T, R, B, n), so each step is a contiguous slice; and W_hh/√n.
   * Only the input (d wide) is put in time order; the n-wide product comes out in it.
   */
  const recurrence = (params: Params, x: tf.Tensor, B: number) => {
    const rows = tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [R, T * B, d]);
    const projected = timeMajor(tf.matMul(rows, get(params, 'wih')), B, n);
    const u = tf.add(tf.mul(projected, 1 / Math.sqrt(d)), get(params, 'bh'));
    return { u, whh: tf.mul(get(params, 'whh'), 1 / Math.sqrt(n)) };
  };

  /** Each replica's rows in time order (R, T·B, k) → (T, R, B, k) (one replica: a reshape). */
  const timeMajor = (rows: tf.Tensor, B: number, k: number): tf.Tensor =>
    R === 1 ? tf.reshape(rows, [T, 1, B, k]) : tf.transpose(tf.reshape(rows, [R, T, B, k]), [1, 0, 2, 3]);

  /** Every h_t, time-major (T, R, B, n) → H (R, B, T, n). */
  const batchMajor = (h: tf.Tensor): tf.Tensor => tf.transpose(h, [1, 2, 0, 3]);

  /**
   * o_t = W_ho h_t / √n + b_o for every step, from the states time-major: h (T, R, B, n) →
   * (R, B, T·o). The product runs on the states in time order; only its o-wide result is put
   * back in batch order.
   */
  const readout = (params: Params, h: tf.Tensor, B: number): tf.Tensor => {
    const y = tf.add(tf.mul(tf.matMul(rowsOf(h), get(params, 'who')), 1 / Math.sqrt(n)), get(params, 'bo'));
    return tf.reshape(tf.transpose(tf.reshape(y, [R, T, B, o]), [0, 2, 1, 3]), [R, B, T * o]);
  };

  const apply = (params: Params, x: tf.Tensor): tf.Tensor =>
    tf.tidy(() => {
      const B = check(params, x);
      const { u, whh } = recurrence(params, x, B);
      return readout(params, reluStates(u, whh), B);
    });

  const applyLayers = (params: Params, x: tf.Tensor): ForwardTrace => {
    const B = check(params, x);
    // One tidy keeps exactly the traced tensors, flattened as [input, z, h] per step, then the readout's.
    const flat = tf.tidy(() => {
      const { u, whh } = recurrence(params, x, B);
      const scan = reluScan(u, whh);
      const [z, h] = [tf.unstack(scan.z, 0), tf.unstack(scan.h, 0)];
      const xs = tf.unstack(tf.transpose(x, [2, 0, 1, 3]), 0);
      const out: tf.Tensor[] = [];
      z.forEach((zt, t) => {
        const previous = t === 0 ? tf.zeros([R, B, n]) : (h[t - 1] as tf.Tensor);
        out.push(tf.concat([xs[t] as tf.Tensor, previous], 2), zt, (h[t] as tf.Tensor).clone());
      });
      const y = readout(params, scan.h, B);
      out.push(tf.reshape(batchMajor(scan.h), [R, B, T * n]), y, y.clone());
      return out;
    });
    const layers: LayerTrace[] = [];
    for (let i = 0; i < flat.length; i += 3)
      layers.push({
        input: flat[i] as tf.Tensor,
        preActivation: flat[i + 1] as tf.Tensor,
        output: flat[i + 2] as tf.Tensor,
      });
    const last = layers[layers.length - 1] as LayerTrace;
    return { layers, output: last.output.clone() };
  };

  return {
    name: 'rnn',
    config: c,
    replicas: R,
    inputShape: [T, d],
    outputSize: T * o,
    layouts: ['sequence'],
    paramCount,
    init,
    apply,
    applyLayers,
    sequence(params, x) {
      const B = check(params, x);
      const { u, whh } = recurrence(params, x, B);
      const { z, h } = reluScan(u, whh);
      return { z, h, output: readout(params, h, B) };
    },
    scanBack,
    describeKernels: () =>
      scanKernelsReady() ? `the recurrence runs as one ${tf.getBackend()} kernel each way` : null,
    describe: () => ({ name: 'rnn', ...c, parameterization: 'ntk', paramCount }),
  };
}
