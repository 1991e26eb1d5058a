/**
 * The initial-alignment estimator of Abbe, Cornacchia, Hązła, Marquis 2022 (docs/papers.md §3):
 *
 *   INAL(f, NN) = max_v E_θ⁰[⟨f, NN_v⟩²],   ⟨f, g⟩ = E_x[f(x) g(x)],  x ~ Unif{±1}^n,
 *
 * for any core `Model`: every neuron is a unit of some layer's output in `applyLayers`, and the
 * model's R replicas are the R initialisations (one batched program). Inputs are enumerated
 * exactly for small n and sampled otherwise, with the ĉ² bias removed (neuron-stats.ts).
 */
import { assert, assertInt, replicaRngs, resolveOptions } from '@learnability/core';
import type { Model, Params } from '@learnability/core';
import type { BooleanTarget } from '../boolean-target.js';
import { exactMean } from '../degree-profile.js';
import { chunkSums, layerWidths } from './chunk-sums.js';
import { exactChunks, sampledChunks } from './input-chunks.js';
import { INAL_SCHEMA } from './inal-options.js';
import type { InalOptions } from './inal-options.js';
import { NeuronAccumulator } from './neuron-stats.js';
import type { NeuronSummary } from './neuron-stats.js';

/**
 * `measureInal`'s config: the options of `INAL_SCHEMA` (each optional; its default, reason and
 * range are there), plus what depends on the model rather than on the measurement.
 */
export interface InalConfig extends Partial<InalOptions> {
  /** Inputs per replica in one forward pass. Default: about 2^23 / (R · Σ layer widths), in [16, 8192], and at most samples/8. */
  chunkSize?: number;
  /** Measure these parameters (R replicas, kept by the caller) instead of a fresh init. */
  params?: Params;
}

/**
 * What `measureInal` returns: the max-over-neurons estimate of INAL with its interval and per-layer
 * detail (`NeuronSummary`), the pooled per-layer estimate, and how it was measured (exact or
 * sampled inputs, how many, over how many initialisations).
 */
export interface InalMeasurement extends NeuronSummary {
  /**
   * The neuron-averaged c² of the layer (of at least `pooledMinWidth` units) with the highest lower
   * confidence bound, with its interval: the same INAL when a layer's neurons are exchangeable at
   * init (i.i.d. layers, as in the dense MLP), without the upward bias of a max over many noisy
   * per-neuron averages. For a dense net the readout's E[c²] is h·Var(w_out) times the last hidden
   * layer's average (h its width), plus Var(b_out)·f̂(∅)²: the average itself where Var(w_out) =
   * 1/h (`init: 'gaussian'`, either parameterisation), a third of it under `'torch-linear'`
   * (U(±1/√h)). So leaving it out loses nothing for targets of mean zero (every parity, majority
   * and staircase here), and can sit below the max by the bias term for others.
   */
  pooled: { inal: number; ciLow: number; ciHigh: number; stderr: number; layer: number };
  method: 'exact' | 'sampled';
  /** Inputs per initialisation. */
  inputs: number;
  /** Initialisations R. With R = 1 no interval can be estimated: every ciLow, ciHigh and stderr is NaN. */
  inits: number;
  n: number;
  target: string;
}

/** Per layer, the mean output of every (replica, neuron) over a pilot draw: the centring constants β. */
async function pilotMeans(
  model: Model,
  params: Params,
  target: BooleanTarget,
  rows: number,
  chunk: number,
  seed: number,
): Promise<Float64Array[]> {
  let means: Float64Array[] | null = null;
  for (const part of sampledChunks(target, model.replicas, chunk, rows, seed, 'inal-pilot')) {
    const sums = await chunkSums(model, params, part, target.n, true);
    means ??= sums.map((s) => new Float64Array(s.fa.length));
    sums.forEach((s, l) => {
      const into = (means as Float64Array[])[l] as Float64Array;
      for (let i = 0; i < into.length; i++) into[i] = (into[i] as number) + ((s.a as Float64Array)[i] as number) / rows;
    });
  }
  return means ?? [];
}

/**
 * Inputs per chunk when `chunkSize` is not given: as many as keep `replicas` × rows × `widthSum`
 * (the layer widths summed) at 2²³ floats of activations, between 16 and 8,192. Exported so that a
 * memory estimate of the measurement sizes its chunk as the measurement does.
 */
export const inalChunkRows = (replicas: number, widthSum: number): number =>
  Math.max(16, Math.min(8192, Math.floor(2 ** 23 / Math.max(1, replicas * widthSum))));

/**
 * Estimates INAL(target, model) over R = model.replicas initialisations. Options not given take
 * `INAL_SCHEMA`'s defaults; bad ones throw one ConfigError listing each as `inal.<option>: …`.
 */
export async function measureInal(
  model: Model,
  target: BooleanTarget,
  config: InalConfig = {},
): Promise<InalMeasurement> {
  assert(
    // An object: a factory has an `apply` too (Function.prototype's).
    typeof model === 'object' && model !== null && typeof model.apply === 'function',
    'measureInal: the first argument must be a model (createDense(…) and the like)',
  );
  assert(
    typeof target === 'object' && target !== null && Number.isInteger(target.n),
    () =>
      `measureInal: the target must be a BooleanTarget from createTarget(spec, { n }), but got ${JSON.stringify(target)}${typeof target === 'string' ? '; pass the spec to createTarget first' : ''}`,
  );
  const c = resolveOptions('inal', INAL_SCHEMA, config, ['chunkSize', 'params']);
  // Before any tensor: 0 or 1.5 reached TF.js as a tensor shape, with its own words.
  if (c.chunkSize !== undefined) assertInt('inal.chunkSize', c.chunkSize, 1);
  const n = target.n;
  const R = model.replicas;
  assert(
    model.layouts.includes('vector') && model.inputShape.length === 1 && model.inputShape[0] === n,
    () =>
      `measureInal: model "${model.name}" must take vector inputs of shape [${n}], but takes [${model.inputShape.join(', ')}] (${model.layouts.join(', ')})`,
  );
  const exact = c.method === 'exact' || (c.method === 'auto' && n <= c.exactMaxBits);
  assert(!exact || n <= 30, () => `measureInal: exact enumeration needs n ≤ 30, but n = ${n}; use method 'sampled'`);
  const inputs = exact ? 2 ** n : c.samples;
  const params = c.params ?? model.init(replicaRngs(c.seed, R));
  try {
    const widths = layerWidths(model, params, n);
    const auto = inalChunkRows(
      R,
      widths.reduce((a, b) => a + b, 0),
    );
    // Sampled estimates need several chunks (they are the groups of the bias-free U-statistic).
    const chunk = Math.min(c.chunkSize ?? auto, exact ? inputs : Math.ceil(inputs / 8));
    let acc: NeuronAccumulator;
    if (exact) acc = new NeuronAccumulator(R, widths, true);
    else {
      const mean = exactMean(target);
      const beta = mean === null ? null : await pilotMeans(model, params, target, c.pilotSamples, chunk, c.seed);
      acc = new NeuronAccumulator(R, widths, false, beta, mean);
    }
    const chunks = exact ? exactChunks(target, R, chunk) : sampledChunks(target, R, chunk, inputs, c.seed);
    for (const part of chunks) {
      const sums = await chunkSums(model, params, part, n, false);
      acc.addChunk(
        part.f,
        part.rows,
        sums.map((s) => s.fa),
      );
    }
    const summary = acc.summary(c.confidence);
    // Among layers wide enough to average, the one with the highest lower bound: a max over layers
    // by their means would pick a noisy narrow layer over a precisely known wide one.
    const wide = summary.layers.filter((l) => l.width >= c.pooledMinWidth);
    const key = (l: (typeof summary.layers)[number]) => (Number.isFinite(l.meanCiLow) ? l.meanCiLow : l.mean);
    const top = (wide.length > 0 ? wide : summary.layers).reduce((a, b) => (key(b) > key(a) ? b : a));
    return {
      ...summary,
      pooled: {
        inal: top.mean,
        ciLow: top.meanCiLow,
        ciHigh: top.meanCiHigh,
        stderr: top.meanStderr,
        layer: top.layer,
      },
      method: exact ? 'exact' : 'sampled',
      inputs,
      inits: R,
      n,
      target: target.spec,
    };
  } finally {
    if (c.params === undefined) for (const t of Object.values(params)) t.dispose();
  }
}
