import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend } from '@learnability/backends/testing';
import { createRng } from '@learnability/core';
import { describeTaskContract } from '@learnability/core/testing';
import { describe, expect, it } from 'vitest';
import { createLeastSquares } from './baselines/least-squares.js';
import { sampleDecisionTree } from './decision-tree.js';
import { activeDims } from './dims-curriculum.js';
import { learnerErrorByExamples } from './evaluate.js';
import { FUNCTION_FAMILIES } from './function-family.js';
import { createInContextTask, resolveInContextTaskConfig, sampleInContextPrompts } from './in-context-task.js';
import { sampleLinearFunction } from './linear-function.js';
import { readPrompt } from './prompt-layout.js';
import { sampleReluNet } from './relu-net.js';

describeEachBackend('in-context tasks', () => {
  for (const family of FUNCTION_FAMILIES) {
    // Each family's own options only: another family's are refused.
    const own: Record<string, object> = {
      'sparse-linear-regression': { sparsity: 2 },
      'relu-net': { hidden: 6 },
      'decision-tree': { depth: 2 },
    };
    describeTaskContract(`${family}, d=4, P=5`, () =>
      createInContextTask({ family, dims: 4, points: 5, ...own[family] }),
    );
  }

  it('gives x (N, 2P, d) and y (N, P) tensors equal to the host arrays', async () => {
    const task = createInContextTask({ family: 'linear-regression', dims: 3, points: 4 });
    expect([task.inputShape, task.outputSize, task.layout, task.outputKind]).toEqual([[8, 3], 4, 'sequence', 'real']);
    const b = task.sample(5, createRng(1));
    expect(b.x.shape).toEqual([5, 8, 3]);
    expect(Array.from(await b.y.data())).toEqual(Array.from(b.host?.y ?? []));
    // The tensors hold their own copies: a write to the host arrays leaves the batch as drawn.
    const [x0, y0] = [(await b.x.data())[0], (await b.y.data())[0]];
    (b.host as { x: Float32Array; y: Float32Array }).x[0] = 12345;
    (b.host as { x: Float32Array; y: Float32Array }).y[0] = 12345;
    expect([(await b.x.data())[0], (await b.y.data())[0]]).toEqual([x0, y0]);
    tf.dispose([b.x, b.y]);
  });
});

describe('prompt layout', () => {
  it('interleaves x_i and [y_i, 0, …, 0], and the targets are the y_i of a linear function', () => {
    const c = resolveInContextTaskConfig({ family: 'linear-regression', dims: 3, points: 6 });
    const { x, y } = sampleInContextPrompts(c, 4, createRng(2));
    for (let p = 0; p < 4; p++) {
      for (let i = 0; i < 6; i++) {
        const yToken = x.subarray((p * 12 + 2 * i + 1) * 3, (p * 12 + 2 * i + 2) * 3);
        expect(Array.from(yToken)).toEqual([y[p * 6 + i], 0, 0]);
      }
      // With d = 3 examples least squares recovers w, so the remaining targets are predicted exactly.
      const { xs, ys } = readPrompt(x, p, 6, 3);
      const ls = createLeastSquares();
      for (let k = 3; k < 6; k++)
        expect(ls.predict(xs, ys, k, xs.subarray(k * 3, k * 3 + 3), 3)).toBeCloseTo(y[p * 6 + k] as number, 4);
    }
  });

  it('draws each prompt’s function once: the same seed gives the same prompts, a new prompt a new w', () => {
    const c = resolveInContextTaskConfig({ family: 'linear-regression', dims: 2, points: 3 });
    const a = sampleInContextPrompts(c, 2, createRng(5));
    expect(Array.from(sampleInContextPrompts(c, 2, createRng(5)).x)).toEqual(Array.from(a.x));
    const ls = createLeastSquares();
    const w = (p: number) => {
      const { xs, ys } = readPrompt(a.x, p, 3, 2);
      return [ls.predict(xs, ys, 3, Float64Array.from([1, 0]), 2), ls.predict(xs, ys, 3, Float64Array.from([0, 1]), 2)];
    };
    expect(w(0)[0]).not.toBeCloseTo(w(1)[0] as number, 3);
  });
});

describe('function classes', () => {
  it("sparse linear regression draws s support coordinates among all d, nonzero where active (the authors' code)", () => {
    const rng = createRng(3);
    for (let t = 0; t < 50; t++) {
      const { w } = sampleLinearFunction(10, 10, rng, 3);
      expect(Array.from(w).filter((v) => v !== 0).length).toBe(3);
    }
    // 7 of 10 coordinates active: E[nonzeros] = 3 · 7/10 = 2.1, none past the active ones. Drawn
    // among the active ones only, every w had exactly 3.
    let nonzeros = 0;
    for (let t = 0; t < 2000; t++) {
      const { w } = sampleLinearFunction(10, 7, rng, 3);
      nonzeros += Array.from(w).filter((v) => v !== 0).length;
      expect(Array.from(w.subarray(7)).every((v) => v === 0)).toBe(true);
    }
    expect(nonzeros / 2000).toBeCloseTo(2.1, 1);
  });

  it('a depth-4 tree has 31 nodes and routes x by x_j > 0 to one of 16 leaves', () => {
    const { f, features, leaves } = sampleDecisionTree(5, 4, createRng(4));
    expect(features.length + leaves.length).toBe(31);
    const rng = createRng(9);
    const x = new Float32Array(5);
    for (let t = 0; t < 200; t++) {
      rng.normals(x);
      // Independent recursive walk of the same tree.
      const walk = (node: number, level: number): number =>
        level === 4
          ? (leaves[node - 15] as number)
          : walk(2 * node + ((x[features[node] as number] as number) > 0 ? 2 : 1), level + 1);
      expect(f(x, 0)).toBe(walk(0, 0));
    }
  });

  it('the ReLU net is √(2/h)·ReLU(xW₁)w₂ with variance ≈ d', () => {
    const d = 4;
    const h = 100;
    const rng = createRng(5);
    const x = Float32Array.from([0.5, -1, 2, 0.25]);
    const { f, w1, w2 } = sampleReluNet(d, d, h, rng);
    let expected = 0;
    for (let j = 0; j < h; j++)
      expected +=
        (w2[j] as number) *
        Math.max(
          0,
          [0, 1, 2, 3].reduce((s, i) => s + (w1[j * d + i] as number) * (x[i] as number), 0),
        );
    expect(f(x, 0)).toBeCloseTo(Math.sqrt(2 / h) * expected, 5);
    const c = resolveInContextTaskConfig({ family: 'relu-net', dims: d, points: 20 });
    const { y } = sampleInContextPrompts(c, 400, createRng(6));
    const meanSquare = y.reduce((s, v) => s + v * v, 0) / y.length;
    expect(Math.abs(meanSquare / d - 1)).toBeLessThan(0.15);
  });

  it('noisy linear regression adds N(0, σ²) to the clean targets of the same draw', () => {
    // One prompt: the noise draws come after its inputs, so later prompts' draws would differ.
    const clean = sampleInContextPrompts(
      resolveInContextTaskConfig({ family: 'linear-regression', dims: 3, points: 2000 }),
      1,
      createRng(7),
    );
    const noisy = sampleInContextPrompts(
      resolveInContextTaskConfig({ family: 'noisy-linear-regression', dims: 3, points: 2000, noiseStd: 0.5 }),
      1,
      createRng(7),
    );
    const diffs = Array.from(noisy.y, (v, i) => v - (clean.y[i] as number));
    const std = Math.sqrt(diffs.reduce((s, v) => s + v * v, 0) / diffs.length);
    expect(Math.abs(std - 0.5)).toBeLessThan(0.03);
  });

  it('normalises errors by E[f(x)²]: d, s or 1, so predicting 0 scores ≈ 1', () => {
    const zero = { name: 'zero', predict: () => 0, describe: () => ({}) };
    for (const family of FUNCTION_FAMILIES.filter((f) => f !== 'noisy-linear-regression')) {
      const task = createInContextTask({
        family,
        dims: 6,
        points: 10,
        ...(family === 'relu-net' ? { hidden: 50 } : {}),
      });
      const host = task.sampleHost(500, createRng(8));
      const err = learnerErrorByExamples(zero, host, 10, 6, task.errorScale);
      expect(Math.abs(err.reduce((a, b) => a + b, 0) / 10 - 1), family).toBeLessThan(0.15);
    }
  });
});

describe('dims curriculum', () => {
  it('zeroes the inactive coordinates and grows on the trainer’s clock (step − 1 completed steps)', () => {
    const curriculum = { start: 2, increment: 1, interval: 10 };
    expect([undefined, 1, 10, 11, 21, 1000].map((s) => activeDims(5, curriculum, s))).toEqual([5, 2, 2, 3, 4, 5]);
    const c = resolveInContextTaskConfig({
      family: 'decision-tree',
      dims: 5,
      points: 4,
      dimsStart: 2,
      dimsIncrement: 1,
      dimsInterval: 10,
    });
    expect(c.dimsCurriculum).toEqual(curriculum);
    const { x } = sampleInContextPrompts(c, 3, createRng(9), 1);
    for (let p = 0; p < 3; p++) {
      const { xs } = readPrompt(x, p, 4, 5);
      for (let i = 0; i < 4; i++) expect(Array.from(xs.subarray(i * 5 + 2, i * 5 + 5))).toEqual([0, 0, 0]);
    }
    const full = sampleInContextPrompts(c, 3, createRng(9));
    expect(Array.from(readPrompt(full.x, 0, 4, 5).xs).filter((v) => v === 0).length).toBe(0);
  });
});

describe('createInContextTask config errors', () => {
  it('names the field and what was expected', () => {
    expect(() => createInContextTask({ family: 'linear-regression', dims: 0 })).toThrow(
      'linear-regression.dims: expected an integer ≥ 1, but got 0',
    );
    expect(() => createInContextTask({ family: 'sparse-linear-regression', dims: 2, sparsity: 3 })).toThrow(
      'sparse-linear-regression.sparsity: the nonzeros of w must be ≤ dims (2), but got 3',
    );
    expect(() => createInContextTask({ family: 'cubic' as never })).toThrow('in-context.family must be one of');
    expect(() => createInContextTask({ family: 'linear-regression', dims: 4, dimsStart: 5 })).toThrow(
      'linear-regression.dimsStart: the first curriculum step must be ≤ dims (4), but got 5',
    );
    // The sparsity rule is the sparse family's: other families take no sparsity at all.
    expect(() => createInContextTask({ family: 'linear-regression', dims: 2, sparsity: 3 })).toThrow(
      'linear-regression.sparsity: the linear-regression family does not read it (sparse-linear-regression does); leave it out',
    );
  });

  it('reports every bad option at once', () => {
    expect(() =>
      createInContextTask({ family: 'decision-tree', points: 0, depth: 17, dimsInterval: 0, noiseStd: -1 }),
    ).toThrow(
      'decision-tree.noiseStd: the decision-tree family does not read it (noisy-linear-regression does); leave it out; decision-tree.points: expected an integer ≥ 1, but got 0; decision-tree.dimsInterval: expected an integer ≥ 1, but got 0; decision-tree.depth: expected an integer in [1, 16], but got 17',
    );
  });

  it("describes a task by its family's own options, not the others' defaults", () => {
    expect(createInContextTask({ family: 'noisy-linear-regression', dims: 4, points: 5 }).describe()).toEqual({
      name: 'noisy-linear-regression',
      family: 'noisy-linear-regression',
      dims: 4,
      points: 5,
      noiseStd: 0.1,
      dimsCurriculum: null,
    });
  });

  it("refuses another family's options, naming the families that read them (they were ignored)", () => {
    expect(() => createInContextTask({ family: 'linear-regression', depth: 7, sparsity: 2 })).toThrow(
      'linear-regression.depth: the linear-regression family does not read it (decision-tree does); leave it out; linear-regression.sparsity: the linear-regression family does not read it (sparse-linear-regression does); leave it out',
    );
  });

  it('refuses a sample count that is not an integer ≥ 0', () => {
    const task = createInContextTask({ family: 'linear-regression', dims: 2, points: 3 });
    expect(() => task.sampleHost(Number.NaN, createRng(0))).toThrow(
      'in-context: the sample count must be an integer ≥ 0, but got NaN',
    );
    expect(() => task.sampleHost(2, 5 as never)).toThrow(
      "in-context: expected a generator (createRng(seed) from @learnability/core), but got 5; a task's testSet takes a seed, its sample a generator",
    );
    // A NaN step made every prompt zeros (no active dims).
    expect(() => task.sampleHost(2, createRng(0), Number.NaN)).toThrow(
      'in-context: the training step (1-based) must be an integer ≥ 1, but got NaN',
    );
  });

  it('says what a config looks like when called with none', () => {
    expect(() => (createInContextTask as (c?: unknown) => unknown)()).toThrow(
      "in-context: expected a config object, e.g. { family: 'linear-regression', dims: 20, points: 41 }, but got none",
    );
  });
});
