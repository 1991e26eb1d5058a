import { ConfigError } from '@learnability/core';
import type { MemoryLimits } from '@learnability/core';
import { describe, expect, it } from 'vitest';
import { applyOverrides } from '../overrides.js';
import { PRESETS, getPreset } from '../presets.js';
import { resolve } from '../resolve.js';
import { validateConfig } from '../validate.js';
import { checkMemory, describeEstimate, formatBytes, memoryIssues } from './check-memory.js';
import { estimateMemory } from './estimate-memory.js';

const GiB = 2 ** 30;
const WASM: MemoryLimits = { total: { bytes: 4 * GiB, says: 'wasm holds at most 4 GiB' } };
const GPU: MemoryLimits = {
  tensor: {
    bytes: 128 * 2 ** 20,
    says: 'the GPU adapter binds at most 128 MiB per tensor (maxStorageBufferBindingSize)',
  },
};

/** The estimate of a preset with `--set` overrides. */
function estimateOf(preset: string, sets: string[] = []) {
  const config = validateConfig(applyOverrides(structuredClone(getPreset(preset).config), sets));
  return estimateMemory(resolve(config));
}

const issues = (preset: string, sets: string[], limits: MemoryLimits) =>
  memoryIssues(estimateOf(preset, sets), limits).map((i) => `${i.path}: ${i.message}`);

describe('estimateMemory', () => {
  it('counts sparse-parity by hand: 4 replicas of a 50→1000→1 MLP, SGD, 2,000 test rows, batch 32', () => {
    const e = estimateOf('sparse-parity');
    const P = 50 * 1000 + 1000 + 1000 + 1; // W1, b1, W2, b2
    const bytes = {
      'the parameters': 4 * P * 4,
      'the optimiser state': 4 * P * 2 * 4, // gradient + θ₀ (no momentum)
      'the test set': 2000 * (50 + 1) * 4,
      'the batches': 4 * 32 * (50 + 1) * 4,
      'the evaluation activations': 4 * 2000 * (3 * 1000 + 1) * 4, // larger than training's 4 × 32 × 3001 × 2
      // The chunk's slice, its tile per replica and one more copy, beside the activations.
      "the evaluation's copies of its inputs": (4 + 2) * 2000 * 50 * 4,
    };
    expect(Object.fromEntries(e.parts.map((p) => [p.what, p.bytes]))).toEqual(bytes);
    expect(e.totalBytes).toBe(Object.values(bytes).reduce((a, b) => a + b, 0));
    expect(e.parts.map((p) => p.bytes)).toEqual([...e.parts.map((p) => p.bytes)].sort((a, b) => b - a));
    expect(e.largestTensor?.bytes).toBe(4 * 2000 * 1000 * 4);
    expect(describeEstimate(e, 4)).toBe('≈ 101 MB (0.8 MB parameters, 4 replicas)');
  });

  it("counts the RNN's training activations by its trainer: Align-ada's backward pass through θ₀ keeps more", () => {
    const training = (sets: string[]) =>
      estimateOf('align-add', sets).parts.find((p) => p.what === 'the training activations')?.bytes;
    // align-add: batch 50, T = 100, width 64, one output; × 2 for the backward pass. Measured on
    // wasm: 19.5·T·n values an example with Align-ada, 9.9·T·n with SGD (model-footprint.ts).
    expect(training([])).toBe(50 * 100 * (10 * 64 + 1) * 2 * 4);
    expect(training(['trainer={"name":"sgd","lr":0.1,"loss":"mse"}'])).toBe(50 * 100 * (6 * 64 + 1) * 2 * 4);
  });

  it('counts the evaluation in chunks of run.evalChunk rows', () => {
    const part = (sets: string[]) =>
      estimateOf('sparse-parity', sets).parts.find((p) => p.what === 'the evaluation activations');
    expect(part(['run.evalChunk=500'])?.bytes).toBe(4 * 500 * (3 * 1000 + 1) * 4);
    expect(part(['run.evalChunk=500'])?.factors[1]).toMatchObject({ value: 500, path: 'run.evalChunk' });
    expect(part(['run.evalChunk=5000'])?.bytes).toBe(4 * 2000 * (3 * 1000 + 1) * 4); // the whole test set
  });

  it('counts Adam moments, a fixed training set and momentum', () => {
    const sgd = estimateOf('sparse-parity', ['trainer.momentum=0.9', 'run.trainSetSize=1000']);
    const P = 52_001;
    expect(sgd.parts.find((p) => p.what === 'the optimiser state')?.bytes).toBe(4 * P * 3 * 4);
    expect(sgd.parts.find((p) => p.what === 'the training sets')?.bytes).toBe(4 * 1000 * 51 * 4);
    const looped = estimateOf('looped-linear-regression-small');
    const params = looped.parts.find((p) => p.what === 'the parameters')?.bytes ?? 0;
    expect(looped.parts.find((p) => p.what === 'the optimiser state')?.bytes).toBe(params * 4);
  });

  it('every preset fits in wasm but four paper-scale transformers, with a positive, finite estimate for each part', () => {
    // At full size (82 tokens, 15 blocks with gradient) a batch of 64 needs more than wasm's 4 GiB:
    // measured, one such step ran out of heap (model-footprint.ts). A smaller batch fits: half, or a
    // quarter for the decision trees' 202 tokens (101 points) through 15 blocks.
    const fitsAt: Record<string, number> = {
      'looped-linear-regression': 32,
      'standard-linear-regression': 32,
      'looped-relu-net': 32,
      'looped-decision-tree': 16,
    };
    for (const p of PRESETS) {
      const e = estimateOf(p.name);
      expect(e.totalBytes, p.name).toBeGreaterThan(0);
      for (const part of e.parts)
        expect(Number.isFinite(part.bytes) && part.bytes > 0, `${p.name}: ${part.what}`).toBe(true);
      const batch = fitsAt[p.name];
      if (batch === undefined) expect(() => checkMemory(e, WASM), p.name).not.toThrow();
      else {
        expect(() => checkMemory(e, WASM), p.name).toThrow(
          /the training activations need ≈ \d+(\.\d+)? [GT]iB .*wasm holds at most 4 GiB/,
        );
        expect(() => checkMemory(estimateOf(p.name, [`run.batchSize=${batch}`]), WASM), p.name).not.toThrow();
      }
    }
  });

  it("names the knob that sets a looped transformer's trained blocks: the trainer's lossLoops below b, else b", () => {
    // looped-linear-regression: b = 20 loops, 15 of them with gradient. Until 2026-12-06 the message
    // said "lower model.loops", which changes nothing until b passes lossLoops.
    const issue = (sets: string[]) => memoryIssues(estimateOf('looped-linear-regression', sets), WASM)[0];
    expect(issue([])).toMatchObject({ path: 'trainer.lossLoops' });
    expect(issue([])?.message).toMatch(
      /\(15 blocks × [\d,]+ \+ [\d,]+\).*: lower trainer\.lossLoops or run\.batchSize$/,
    );
    expect(issue(['trainer.lossLoops=10'])).toBeUndefined();
    // With lossLoops at b or above, every loop keeps its blocks: b is the knob.
    expect(issue(['trainer.lossLoops=30'])).toMatchObject({ path: 'model.loops' });
  });

  it('grows with each model size field the user can set', () => {
    const total = (preset: string, sets: string[]) => estimateOf(preset, sets).totalBytes;
    expect(total('looped-linear-regression-small', ['model.embedSize=1024'])).toBeGreaterThan(
      total('looped-linear-regression-small', []),
    );
    expect(total('looped-linear-regression-small', ['model.layers=8'])).toBeGreaterThan(
      total('looped-linear-regression-small', []),
    );
    expect(total('rcnn-parity', ['model.channels=64'])).toBeGreaterThan(total('rcnn-parity', []));
    expect(total('align-add', ['model.width=2048'])).toBeGreaterThan(total('align-add', []));
  });
});

describe('memoryIssues', () => {
  it('names the estimate, its arithmetic, the limit and the values to lower (wasm)', () => {
    expect(issues('sparse-parity', ['run.testSize=1e9'], WASM)).toEqual([
      'run.testSize: the test set needs ≈ 190 GiB (1e9 × 51 × 4 B); wasm holds at most 4 GiB: lower run.testSize',
    ]);
    expect(issues('sparse-parity', ['run.batchSize=100000000'], WASM)).toEqual([
      'run.batchSize: the training activations need ≈ 8.7 TiB (4 × 1e8 × (3 × 1,000 + 1) × 2 (backward) × 4 B); wasm holds at most 4 GiB: lower run.batchSize, run.replicas or model.widths',
    ]);
    expect(issues('sparse-parity', ['model.widths=[1000000]'], WASM)).toEqual([
      'model.widths: the evaluation activations need ≈ 89 GiB (4 × 2,000 × (3 × 1,000,000 + 1) × 4 B); wasm holds at most 4 GiB: lower model.widths, run.replicas or run.testSize',
    ]);
    expect(issues('sparse-parity', ['run.replicas=1024'], WASM)).toEqual([
      'run.replicas: the evaluation activations need ≈ 23 GiB (1,024 × 2,000 × (3 × 1,000 + 1) × 4 B); wasm holds at most 4 GiB: lower run.replicas, run.testSize or model.widths',
    ]);
    // One replica already: its copies' (1 + 2) cannot shrink, so run.replicas is not the one to lower.
    const wide = ['task.n=200000', 'model.widths=[8]', 'run.replicas=1', 'learners=[]'];
    expect(issues('sparse-parity', wide, WASM)).toEqual([
      "run.testSize: the evaluation's copies of its inputs need ≈ 4.5 GiB ((1 replica + 2) × 2,000 × 200,000 × 4 B); wasm holds at most 4 GiB: lower run.testSize",
    ]);
  });

  it('checks the largest tensor against a GPU adapter limit', () => {
    expect(issues('sparse-parity', ['run.testSize=1000000'], GPU)).toEqual([
      "run.testSize: the test set's input tensor takes ≈ 191 MiB (1e6 × 50 × 4 B); the GPU adapter binds at most 128 MiB per tensor (maxStorageBufferBindingSize): lower run.testSize",
    ]);
    expect(issues('sparse-parity', ['model.widths=[20000]'], GPU)).toEqual([
      "model.widths: one layer's activation tensor takes ≈ 610 MiB (4 × 2,000 × 20,000 × 4 B); the GPU adapter binds at most 128 MiB per tensor (maxStorageBufferBindingSize): lower model.widths, run.replicas or run.testSize",
    ]);
    expect(issues('sparse-parity', ['run.batchSize=1000000'], GPU)[0]).toMatch(
      /^run\.batchSize: one layer's activation tensor takes ≈ 15 GiB \(4 × 1e6 × 1,000 × 4 B\); .*: lower run\.batchSize, run\.replicas or model\.widths$/,
    );
    expect(issues('sparse-parity', [], GPU)).toEqual([]);
  });

  it('blames the sum when no single part passes the limit', () => {
    const limits: MemoryLimits = { total: { bytes: 97e6, says: 'this machine has 92.5 MiB of memory' } };
    expect(issues('sparse-parity', [], limits)).toEqual([
      'run.replicas: the run needs ≈ 97 MiB in all, most of it the evaluation activations ≈ 91.6 MiB (4 × 2,000 × (3 × 1,000 + 1) × 4 B); this machine has 92.5 MiB of memory: lower run.replicas, run.testSize or model.widths',
    ]);
  });

  it('checkMemory throws one ConfigError', () => {
    expect(() => checkMemory(estimateOf('sparse-parity', ['run.testSize=1e9']), WASM)).toThrow(ConfigError);
    expect(() => checkMemory(estimateOf('sparse-parity'), WASM)).not.toThrow();
  });
});

describe('formatBytes', () => {
  it('switches unit at 0.8 of the next, one decimal below 10', () => {
    expect([0, 999, 832_016, 5_000_000, 204e9, 9.6e12].map(formatBytes)).toEqual([
      '0 B',
      '1.0 kB',
      '0.8 MB',
      '5.0 MB',
      '204 GB',
      '9.6 TB',
    ]);
  });
});
