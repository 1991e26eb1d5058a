/**
 * The INAL measurement's memory, estimated as a run's is (presets' memory estimate) so that
 * `checkFits` refuses a measurement that cannot fit before anything is allocated, dry run
 * included: the --inits initialisations' parameters, and one chunk of inputs through them.
 */
import type { Model } from '@learnability/core';
import { INAL_SERIES_SCHEMA } from '@learnability/inal';
import { FLOAT_BYTES, modelFootprint } from '@learnability/presets';
import type { MemoryEstimate, MemoryFactor, MemoryPart } from '@learnability/presets';

/**
 * measureInal's chunk of inputs: as many rows as keep R × rows × Σ layer widths at 2²³ floats,
 * between 16 and 8,192 (measure-inal.ts).
 */
const CHUNK_FLOATS = 2 ** 23;
const CHUNK_ROWS = { min: 16, max: 8192 };

/** Σ of the layer widths measureInal sizes its chunks by: a dense model's hidden widths and its output, else the footprint's forward values. */
function summedWidths(model: Model, forwardActivations: number): number {
  const widths = model.describe()['widths'];
  return Array.isArray(widths) && widths.every((w) => typeof w === 'number')
    ? widths.reduce((a: number, b: number) => a + b, 0) + model.outputSize
    : forwardActivations;
}

const part = (what: string, factors: MemoryFactor[]): MemoryPart => ({
  what,
  factors,
  bytes: factors.reduce((b, f) => b * f.value, FLOAT_BYTES),
});

/** The estimate for `model`, built with one replica per initialisation (`inits` of them). */
export function estimateInalMemory(model: Model, inits: number): MemoryEstimate {
  const f = modelFootprint(model);
  // The model's size is set with --set (`model.widths` → `--set widths`).
  const size = { path: f.sizePath.replace(/^model\./, '--set '), ratio: f.sizeRatio };
  const R: MemoryFactor = { value: inits, path: '--inits', ratio: inits / INAL_SERIES_SCHEMA.fields.inits.default };
  const perRow = inits * summedWidths(model, f.forwardActivations);
  const rows = Math.max(CHUNK_ROWS.min, Math.min(CHUNK_ROWS.max, Math.floor(CHUNK_FLOATS / Math.max(1, perRow))));
  const chunk: MemoryFactor = { value: rows, says: `${rows.toLocaleString('en-US')} inputs` };
  const parts = [
    part('the parameters', [R, { value: model.paramCount, ...size }]),
    part("one chunk's activations", [R, chunk, { value: f.forwardActivations, says: f.forwardSay, ...size }]),
  ].sort((a, b) => b.bytes - a.bytes);
  const tensors = [
    part('the largest parameter tensor', [R, { value: f.largestParam, ...size }]),
    part("one layer's activation tensor", [R, chunk, { value: f.largestActivation, ...size }]),
  ];
  return {
    parts,
    totalBytes: parts.reduce((s, p) => s + p.bytes, 0),
    largestTensor: tensors.reduce((a, b) => (b.bytes > a.bytes ? b : a)),
  };
}
