/**
 * Parameter initialisation. Names and shapes (R replicas, C channels, kh × kw filter, G = 2 for the
 * gated update, else 1; h0 × w0 the input's cells):
 *
 *   embedScale (R, h0, w0, C), embedBias (R, h0, w0, C)   embedding 'cell'
 *   embedW (R, h0·w0, h0·w0·C), embedBias (R, 1, h0·w0·C)  embedding 'dense'
 *   convW (R, kh, kw, 2C, G·C), convB (R, 1, G·C)         the one shared filter
 *   readW1 (R, C, h), readB1 (R, 1, h), readW2 (R, h, out), readB2 (R, 1, out)
 */
import * as tf from '@tensorflow/tfjs-core';
import { assertRngs } from '@learnability/core';
import type { Params, Rng } from '@learnability/core';
import { gateFactor } from './param-count.js';
import type { ResolvedRcnnConfig } from './rcnn-config.js';

interface ParamSpec {
  name: string;
  /** Shape of one replica's tensor. */
  shape: number[];
  /** Standard deviation of N(0, std²), or a constant fill when `fill` is set. */
  std: number;
  /** Constant values for the trailing axis (e.g. the gate bias), when not random. */
  fill?: (index: number) => number;
}

/** Every parameter of the model, in a fixed order (so draws are reproducible). */
export function paramSpecs(c: ResolvedRcnnConfig): ParamSpec[] {
  const C = c.channels;
  const [kh, kw] = [c.kernelHeight, c.kernelWidth];
  const G = gateFactor(c);
  const h = c.readoutWidth;
  const inputCells = c.inputRows * c.inputCols;
  const embedding: ParamSpec[] =
    c.embedding === 'cell'
      ? [
          // x_rc·U_rc + P_rc: unit-variance features per cell; P also tells each cell where it is.
          { name: 'embedScale', shape: [c.inputRows, c.inputCols, C], std: 1 },
          { name: 'embedBias', shape: [c.inputRows, c.inputCols, C], std: 1 },
        ]
      : [
          { name: 'embedW', shape: [inputCells, inputCells * C], std: 1 / Math.sqrt(inputCells) },
          { name: 'embedBias', shape: [1, inputCells * C], std: 0 },
        ];
  return [
    ...embedding,
    // LeCun scale on the filter's fan-in kh·kw·2C; the gate half of the bias starts at gateBias.
    { name: 'convW', shape: [kh, kw, 2 * C, G * C], std: 1 / Math.sqrt(kh * kw * 2 * C) },
    { name: 'convB', shape: [1, G * C], std: 0, fill: (i) => (G === 2 && i >= C ? c.gateBias : 0) },
    { name: 'readW1', shape: [C, h], std: Math.sqrt(2 / C) },
    { name: 'readB1', shape: [1, h], std: 0 },
    { name: 'readW2', shape: [h, c.outputSize], std: 1 / Math.sqrt(h) },
    { name: 'readB2', shape: [1, c.outputSize], std: 0 },
  ];
}

/** Replica r draws every tensor from `rngs[r].fork(name)`, so it equals a one-replica model with that generator. */
export function initRcnnParams(c: ResolvedRcnnConfig, rngs: readonly Rng[]): Params {
  assertRngs('rcnn', rngs, c.replicas);
  const params: Params = {};
  for (const spec of paramSpecs(c)) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const last = spec.shape[spec.shape.length - 1] as number;
    const values = new Float32Array(c.replicas * size);
    rngs.forEach((rng, r) => {
      const slot = values.subarray(r * size, (r + 1) * size);
      if (spec.fill) slot.forEach((_, i) => (slot[i] = (spec.fill as (i: number) => number)(i % last)));
      else if (spec.std > 0) rng.fork(spec.name).normals(slot, spec.std);
    });
    params[spec.name] = tf.tensor(values, [c.replicas, ...spec.shape]);
  }
  return params;
}
