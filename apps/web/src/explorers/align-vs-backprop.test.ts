import * as tf from '@tensorflow/tfjs-core';
import { setupTestBackend } from '@learnability/backends/testing';
import { ConfigError, createRng, replicaRngs } from '@learnability/core';
import type { ConfigIssue } from '@learnability/core';
import { getPreset, mergeConfig, resolve, validateConfig } from '@learnability/presets';
import { beforeAll, describe, expect, it } from 'vitest';
import { formDefaults } from './form-schema.js';
import {
  ALIGN_TASKS,
  alignConfigs,
  alignFormSchema,
  gradientCosine,
  runSideBySide,
  validateAlignForm,
} from './align-vs-backprop.js';
import type { AlignForm, AlignRequest, AlignUpdate } from './align-vs-backprop.js';

type Json = Parameters<typeof mergeConfig>[0];

const valid = (over: Partial<AlignForm> = {}, task: 'majority' | 'recurrent-add' = 'majority'): AlignRequest => {
  const { request, issues } = validateAlignForm({ ...formDefaults(alignFormSchema(task)), ...over });
  if (!request) throw new Error(issues.map((i) => `${i.path}: ${i.message}`).join('; '));
  return request;
};

/** What validateConfig (and so the CLI) reports for align-add with `over` merged in. */
function configIssues(over: Json): ConfigIssue[] {
  try {
    validateConfig(mergeConfig(structuredClone(getPreset('align-add').config) as Json, over));
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.issues;
    throw e;
  }
}

describe('validateAlignForm', () => {
  it("starts from each task's values, written once in ALIGN_TASKS", () => {
    expect(formDefaults(alignFormSchema())).toEqual({
      task: 'recurrent-add',
      rule: 'align-ada',
      gate: 'current',
      width: '32',
      lr: '0.5',
      steps: '60',
      evalEvery: '5',
      seed: '0',
    });
    const majority = formDefaults(alignFormSchema('majority'));
    const d = ALIGN_TASKS.majority.defaults;
    expect([majority.task, majority.width, majority.lr, majority.steps, majority.evalEvery]).toEqual(
      ['majority', d.width, d.lr, d.steps, d.evalEvery].map(String),
    );
  });

  it('reports every bad field at its path', () => {
    const { request, issues } = validateAlignForm({
      ...formDefaults(alignFormSchema('majority')),
      rule: 'sgd',
      width: '0',
      lr: '-1',
      steps: '10.5',
    });
    expect(request).toBeNull();
    expect(issues).toEqual([
      { path: 'rule', message: 'expected one of "align-ada", "align-zero", "fa", "dfa", but got "sgd"' },
      { path: 'width', message: 'expected an integer in [1, 1024], but got 0' },
      { path: 'lr', message: 'expected a number > 0 and ≤ 100, but got -1' },
      { path: 'steps', message: 'expected an integer in [1, 5000], but got 10.5' },
    ]);
  });

  it('caps the evaluations at 500, at evalEvery', () => {
    const { issues } = validateAlignForm({ ...formDefaults(alignFormSchema()), steps: '5000', evalEvery: '5' });
    expect(issues).toEqual([{ path: 'evalEvery', message: 'at most 500 evaluations: use evalEvery ≥ 10' }]);
  });

  it("words a bad trainer or run option as validateConfig (and the CLI) do for the part's own spec", () => {
    const form = formDefaults(alignFormSchema());
    const formIssues = (over: Partial<AlignForm>) => validateAlignForm({ ...form, ...over }).issues;
    const gate = 'expected one of "current", "frozen", but got "fast"';
    expect(configIssues({ trainer: { gate: 'fast' } })).toEqual([{ path: 'trainer.gate', message: gate }]);
    expect(formIssues({ gate: 'fast' })).toEqual([{ path: 'gate', message: gate }]);
    const seed = 'expected an integer in [0, 2147483648], but got -1';
    expect(configIssues({ run: { seed: -1 } })).toEqual([{ path: 'run.seed', message: seed }]);
    expect(formIssues({ seed: '-1' })).toEqual([{ path: 'seed', message: seed }]);
    // lr: the same words, with the form's bound for a tab.
    expect(configIssues({ trainer: { lr: 0 } })).toEqual([
      { path: 'trainer.lr', message: 'expected a number > 0, but got 0' },
    ]);
    expect(formIssues({ lr: '0' })).toEqual([{ path: 'lr', message: 'expected a number > 0 and ≤ 100, but got 0' }]);
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
    // Below predicting the mean, a test MSE of ≈ 0.077 (docs/reproductions/align.md).
    expect(last.testError.candidate as number).toBeLessThan(0.07);
    expect(last.testAccuracy.candidate).toBeNull();
  });
});
