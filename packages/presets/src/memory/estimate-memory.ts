/**
 * A run's memory, estimated from its built parts before anything is allocated: parameters,
 * optimiser state, the test set, the training set or batches and the activations, for every
 * replica. Every part is a product of config values × 4 B (float32), kept as factors so an error
 * can show the arithmetic and name the config values to lower. The activations are calibrated on
 * wasm, where the RCNN and the looped transformer run their own kernels (within 2× over of the
 * live tensors measured at small sizes); on cpu, which composes TF.js ops, those two keep
 * 2.5–5× more, so the cpu check against the machine's memory is a lower bound for them.
 */
import type { Model, Task } from '@learnability/core';
import { defaultsOf } from '@learnability/core';
import { RUN_SCHEMA } from '@learnability/experiment';
import type { ResolvedConfig } from '../validate.js';
import { modelFootprint } from './model-footprint.js';

/** The run options' defaults: each factor of an estimate is also given as a multiple of its default. */
const RUN_DEFAULTS = defaultsOf(RUN_SCHEMA);

/** Bytes of one float32 value. */
export const FLOAT_BYTES = 4;

/** One factor of a product: its value and, when a config value sets it, that path and how far above its default it is. */
export interface MemoryFactor {
  value: number;
  /** Words for the value (`2 × 1,000 units`); the number alone when absent. */
  says?: string;
  path?: string;
  /** value / default (an error names the factor grown most first among those to lower). */
  ratio?: number;
}

/** One part of the estimate: `FLOAT_BYTES × Π factors` bytes. */
export interface MemoryPart {
  /** e.g. `the test set`, `parameters`. */
  what: string;
  bytes: number;
  factors: MemoryFactor[];
}

/** A run's memory estimate. */
export interface MemoryEstimate {
  /** Every part, largest first. */
  parts: MemoryPart[];
  /** Bytes of every part together. */
  totalBytes: number;
  /** The largest single tensor (what a GPU buffer limit applies to); null when the run has no tensors. */
  largestTensor: MemoryPart | null;
}

/** The parts of a run the estimate reads (`resolve(config)` gives them). */
export interface EstimatedRun {
  config: ResolvedConfig;
  task: Task;
  model?: Model;
}

/** A part of an estimate: `FLOAT_BYTES × Π factors` bytes (for estimates of other work than a run, e.g. the CLI's INAL measurement). */
export function memoryPart(what: string, factors: MemoryFactor[]): MemoryPart {
  return { what, factors, bytes: factors.reduce((b, f) => b * f.value, FLOAT_BYTES) };
}

/** Copies of the parameters a trainer keeps besides them (gradient, θ₀ for the record's distance, its slots). */
function trainerCopies(config: ResolvedConfig): number {
  const t = config.trainer;
  if (!t) return 0;
  // gradient + θ₀ (runExperiment keeps the initial parameters for ‖θ − θ₀‖)
  const always = 2;
  if (t.name === 'adam' || t.name === 'looped-adam') return always + 2; // first and second moments
  if (t.name === 'sgd') return always + (typeof t.momentum === 'number' && t.momentum > 0 ? 1 : 0);
  if (t.name === 'noisy-gd') return always;
  // Align rules keep a frozen θ₀ or fixed feedback matrices of the parameters' size.
  return always + 1;
}

const largest = (parts: readonly MemoryPart[]): MemoryPart | null =>
  parts.reduce<MemoryPart | null>((a, b) => (a === null || b.bytes > a.bytes ? b : a), null);

/** Estimates the memory of the run `config` describes, from its built task and model (nothing allocated). */
export function estimateMemory(run: EstimatedRun): MemoryEstimate {
  const { config, task, model } = run;
  const o = config.run;
  const inputs = task.inputShape.reduce((a, b) => a * b, 1);
  const perExample = inputs + task.outputSize;
  const R: MemoryFactor = { value: o.replicas, path: 'run.replicas', ratio: o.replicas / RUN_DEFAULTS.replicas };
  const B: MemoryFactor = { value: o.batchSize, path: 'run.batchSize', ratio: o.batchSize / RUN_DEFAULTS.batchSize };
  const N: MemoryFactor = { value: o.testSize, path: 'run.testSize', ratio: o.testSize / RUN_DEFAULTS.testSize };
  const example: MemoryFactor = { value: perExample };
  const parts: MemoryPart[] = [memoryPart('the test set', [N, example])];
  const tensors: MemoryPart[] = [memoryPart("the test set's input tensor", [N, { value: inputs }])];
  if (o.trainSetSize !== null) {
    // One fixed set per replica; its size is weighed against the default test set's.
    parts.push(
      memoryPart('the training sets', [
        R,
        { value: o.trainSetSize, path: 'run.trainSetSize', ratio: o.trainSetSize / RUN_DEFAULTS.testSize },
        example,
      ]),
    );
  }
  parts.push(memoryPart('the batches', [R, B, example]));
  tensors.push(memoryPart("a batch's input tensor", [R, B, { value: inputs }]));
  if (model) {
    const f = modelFootprint(model, config.trainer);
    // A count of the model's, blamed on the size field behind it (`size`: the footprint's own by default).
    const sized = (value: number, size: { sizePath: string; sizeRatio: number } = f, says?: string): MemoryFactor => ({
      value,
      ...(says === undefined ? {} : { says }),
      path: size.sizePath,
      ratio: size.sizeRatio,
    });
    const P = sized(model.paramCount);
    const A = sized(f.activations, f.trainSize, f.activationsSay);
    const widest = sized(f.largestActivation);
    parts.push(memoryPart('the parameters', [R, P]));
    parts.push(
      memoryPart('the optimiser state', [
        R,
        P,
        { value: trainerCopies(config), says: `${trainerCopies(config)} copies` },
      ]),
    );
    // Training keeps the forward pass for the backward pass (× 2); evaluation runs the test set in
    // chunks of run.evalChunk rows, each through one forward pass.
    const chunk: MemoryFactor = {
      value: o.evalChunk,
      path: 'run.evalChunk',
      ratio: o.evalChunk / RUN_DEFAULTS.evalChunk,
    };
    const rows: MemoryFactor = o.testSize <= o.evalChunk ? N : chunk;
    const training = memoryPart('the training activations', [R, B, A, { value: 2, says: '2 (backward)' }]);
    const forward = sized(f.forwardActivations, f.forwardSize, f.forwardSay);
    const evaluation = memoryPart('the evaluation activations', [R, rows, forward]);
    // Beside them, the rows' inputs several times over: the chunk's slice, its tile per replica and
    // the model's first scaled input (measured on wasm: align-mnist at 256², 2,000 test rows, 37 MB
    // of live tensors where the activations and the test set came to 22 MB).
    const copies = memoryPart("the evaluation's copies of its inputs", [
      {
        value: o.replicas + 2,
        says: `(${o.replicas} replica${o.replicas === 1 ? '' : 's'} + 2)`,
        // Above 1 always: named only where lowering run.replicas can shrink it.
        ...(o.replicas > 1 ? { path: R.path, ratio: R.ratio } : {}),
      },
      rows,
      { value: inputs },
    ]);
    parts.push(...(evaluation.bytes + copies.bytes > training.bytes ? [evaluation, copies] : [training]));
    tensors.push(memoryPart("one layer's activation tensor", [R, o.batchSize > rows.value ? B : rows, widest]));
    tensors.push(memoryPart('the largest parameter tensor', [R, sized(f.largestParam)]));
  }
  parts.sort((a, b) => b.bytes - a.bytes);
  return { parts, totalBytes: parts.reduce((s, p) => s + p.bytes, 0), largestTensor: largest(tensors) };
}
