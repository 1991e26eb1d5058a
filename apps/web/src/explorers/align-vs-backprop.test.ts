import * as tf from '@tensorflow/tfjs-core';
import { setupTestBackend } from '@learnability/backends/testing';
import { createRng, replicaRngs } from '@learnability/core';
import { resolve } from '@learnability/presets';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  alignConfigs,
  alignFormDefaults,
  gradientCosine,
  runSideBySide,
  validateAlignForm,
} from './align-vs-backprop.js';
import type { AlignRequest, AlignUpdate } from './align-vs-backprop.js';

const valid = (
  over: Partial<ReturnType<typeof alignFormDefaults>> = {},
  task: 'majority' | 'recurrent-add' = 'majority',
): AlignRequest => {
  const { request, issues } = validateAlignForm({ ...alignFormDefaults(task), ...over });
  if (!request) throw new Error(issues.map((i) => `${i.path}: ${i.message}`).join('; '));
  return request;
};

describe('validateAlignForm', () => {
  it('reports every bad field at its path', () => {
    const { request, issues } = validateAlignForm({
      ...alignFormDefaults('majority'),
      rule: 'sgd',
      width: '0',
      lr: '-1',
      steps: '10.5',
    });
    expect(request).toBeNull();
    expect(issues).toEqual([
      { path: 'rule', message: 'expected one of align-ada, align-zero, fa, dfa, but got "sgd"' },
      { path: 'width', message: 'expected an integer in [1, 1024], but got 0' },
      { path: 'lr', message: 'expected a number in (0, 100], but got -1' },
      { path: 'steps', message: 'expected an integer in [1, 5000], but got 10.5' },
    ]);
  });

  it('builds two configs that differ only in the trainer', () => {
    const { backprop, candidate } = alignConfigs(valid({ rule: 'align-ada', gate: 'frozen' }));
    expect(backprop.trainer).toEqual({ name: 'backprop', lr: 0.3 });
    expect(candidate.trainer).toEqual({ name: 'align-ada', lr: 0.3, gate: 'frozen' });
    expect({ ...backprop, trainer: null }).toEqual({ ...candidate, trainer: null });
    expect(candidate.model).toMatchObject({ name: 'dense', widths: [128, 128], parameterization: 'ntk', bias: 'zero' });
    expect(candidate.task).toMatchObject({ name: 'boolean-target', family: 'majority', n: 15 });
  });
});

describe('Align vs backprop (wasm)', () => {
  beforeAll(async () => {
    await setupTestBackend('wasm');
  });

  it("at θ₀ the Align rules' updates are the backprop gradient (cosine 1); feedback alignment's is not", async () => {
    const { model, task } = resolve(alignConfigs(valid()).candidate);
    if (!model) throw new Error('no model');
    const params = model.init(replicaRngs(0, 1));
    const drawn = task.sample(32, createRng(1));
    const [x, y] = [tf.expandDims(drawn.x, 0), tf.expandDims(drawn.y, 0)];
    const feedback = model.init(replicaRngs(99, 1));
    const before = tf.memory().numTensors;
    const ada = await gradientCosine(model, 'align-ada', 'current', params, { initial: params }, x, y);
    const zero = await gradientCosine(model, 'align-zero', 'current', params, { initial: params }, x, y);
    const fa = await gradientCosine(
      model,
      'fa',
      'current',
      params,
      { feedback: { w1: feedback.w1 as tf.Tensor, w2: feedback.w2 as tf.Tensor } },
      x,
      y,
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(ada).toBeCloseTo(1, 5);
    expect(zero).toBeCloseTo(1, 5);
    expect(fa).toBeLessThan(0.9);
    tf.dispose([drawn.x, drawn.y, x, y, Object.values(params), Object.values(feedback)]);
  });

  it("majority, n = 15: Align-ada's loss falls and it learns beside backprop, in lockstep, without leaking tensors", async () => {
    const before = tf.memory().numTensors;
    const seen: AlignUpdate[] = [];
    const out = await runSideBySide(valid(), (u) => void seen.push(u));
    expect(tf.memory().numTensors).toBe(before);
    expect([out.backprop.status, out.candidate.status]).toEqual(['completed', 'completed']);
    expect(seen.map((u) => u.step)).toEqual(Array.from({ length: 15 }, (_, i) => 20 * (i + 1)));
    const first = seen[0] as AlignUpdate;
    const last = seen[seen.length - 1] as AlignUpdate;
    expect(last.loss.candidate as number).toBeLessThan(0.85 * (first.loss.candidate as number));
    expect(last.testAccuracy.candidate as number).toBeGreaterThan(0.85);
    expect(last.testAccuracy.backprop as number).toBeGreaterThan(0.85);
    for (const u of seen) {
      expect(u.gradientCosine as number).toBeGreaterThan(0.5);
      expect(u.weightAlignment as number).toBeGreaterThan(0.9);
      expect(u.weightAlignment as number).toBeLessThanOrEqual(1 + 1e-6);
    }
  });

  it("recurrent add task: Align-ada's loss and test MSE fall within 10 steps", async () => {
    const seen: AlignUpdate[] = [];
    await runSideBySide(valid({ width: '16', steps: '10' }, 'recurrent-add'), (u) => void seen.push(u));
    expect(seen.map((u) => u.step)).toEqual([5, 10]);
    const [first, last] = [seen[0] as AlignUpdate, seen[1] as AlignUpdate];
    expect(last.loss.candidate as number).toBeLessThan(0.5 * (first.loss.candidate as number));
    // Below predicting the mean, a test MSE of ≈ 0.078 (docs/reproductions/align.md).
    expect(last.testError.candidate as number).toBeLessThan(0.07);
    expect(last.testAccuracy.candidate).toBeNull();
  });
});
