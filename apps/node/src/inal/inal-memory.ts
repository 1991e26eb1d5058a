/**
 * The INAL measurement's memory, estimated as a run's is (presets' memory estimate) so that
 * `checkFits` refuses a measurement that cannot fit before anything is allocated, dry run
 * included: the --inits initialisations' parameters, and one chunk of inputs through them.
 */
import type { Model } from '@learnability/core';
import { INAL_SERIES_SCHEMA, inalChunkRows } from '@learnability/inal';
import { memoryPart as part, modelFootprint } from '@learnability/presets';
import type { MemoryEstimate, MemoryFactor } from '@learnability/presets';

/** Σ of the layer widths measureInal sizes its chunks by: a dense model's hidden widths and its output, else the footprint's forward values. */
function summedWidths(model: Model, forwardActivations: number): number {
  const widths = model.describe()['widths'];
  return Array.isArray(widths) && widths.every((w) => typeof w === 'number')
    ? widths.reduce((a: number, b: number) => a + b, 0) + model.outputSize
    : forwardActivations;
}

/** The estimate for `model`, built with one replica per initialisation (`inits` of them). */
export function estimateInalMemory(model: Model, inits: number): MemoryEstimate {
  const f = modelFootprint(model);
  // The model's size is set with --set (`model.widths` → `--set widths`).
  const size = { path: f.sizePath.replace(/^model\./, '--set '), ratio: f.sizeRatio };
  const R: MemoryFactor = { value: inits, path: '--inits', ratio: inits / INAL_SERIES_SCHEMA.fields.inits.default };
  // The measurement's chunk (a chunk of all 2ⁿ inputs where fewer: this bounds it from above).
  const rows = inalChunkRows(inits, summedWidths(model, f.forwardActivations));
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
