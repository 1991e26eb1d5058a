import { ConfigError } from '@learnability/core';
import { describe, expect, it } from 'vitest';
import { MODELS, TASKS } from './parts.js';
import { PRESETS } from './presets.js';
import { resolve } from './resolve.js';
import type { FieldSpecs, Options } from './schema.js';
import { optionsOf, validateConfig } from './validate.js';

const issuesOf = (raw: unknown): string[] => {
  try {
    validateConfig(raw);
  } catch (e) {
    if (e instanceof ConfigError) return e.issues.map((i) => `${i.path}: ${i.message}`);
    throw e;
  }
  return [];
};
const run = (task: object, model: object, trainer: object = { name: 'sgd' }) => issuesOf({ task, model, trainer });

describe('cross-field checks in validateConfig', () => {
  it('reports three errors at once, one of them cross-field (heads ∤ embedSize), each with its path', () => {
    expect(
      run(
        { name: 'linear-regression', dims: 0 },
        { name: 'looped-transformer', embedSize: 100, heads: 3 },
        { name: 'looped-adam', lr: -1 },
      ),
    ).toEqual([
      'task.dims: expected an integer ≥ 1, but got 0',
      'model.heads: heads (3) must divide embedSize (100)',
      'trainer.lr: expected a number > 0, but got -1',
    ]);
  });

  it('checks a model against the task it will read', () => {
    const lr = { name: 'linear-regression', dims: 4, points: 5 };
    expect(run(lr, { name: 'dense' })).toEqual([
      'model: model "dense" takes vector tasks, but task "linear-regression" is a sequence task [10, 4]; pick a model for sequence tasks',
    ]);
    expect(run({ name: 'sparse-parity' }, { name: 'looped-transformer' })).toEqual([
      'model: model "looped-transformer" needs a sequence task with inputShape [T, d], but task "sparse-parity" has [50]',
    ]);
    expect(run({ name: 'in-context-parity' }, { name: 'looped-transformer', readout: 'interleaved' })).toEqual([
      'model.readout: the interleaved readout needs an even token count (x, y pairs), but task "in-context-parity" has 21; use "last"',
    ]);
    expect(run({ name: 'in-context-parity' }, { name: 'rnn' })).toEqual([
      'model: model "rnn": task "in-context-parity" has 1 outputs, not a multiple of its 21 steps',
    ]);
    expect(run({ name: 'sparse-parity', n: 8 }, { name: 'rcnn', kernelSize: 4, gridWidth: 3 })).toEqual([
      'model.kernelSize: must be odd (a centred k×k filter), but got 4',
      'model.gridWidth: must be ≥ the 8 input columns of task "sparse-parity" (or null), but got 3',
    ]);
    expect(issuesOf({ task: { name: 'boolean-target' }, learners: [{ name: 'gf2-elimination' }] })).toEqual([
      'learners[0]: learner "gf2-elimination" needs a sparse-parity task, but the task is "boolean-target"',
    ]);
  });

  it('checks fields of one part against each other', () => {
    expect(
      run({ name: 'sparse-parity', n: 5, k: 9 }, { name: 'dense', init: 'torch-linear', parameterization: 'ntk' }),
    ).toEqual([
      'task.k: must be ≤ n (5), but got 9',
      'model.init: "torch-linear" needs parameterization "standard"; the NTK parameterisation keeps W ~ N(0, 1)',
    ]);
    expect(run({ name: 'boolean-target', family: 'threshold', k: 2, t: 3 }, { name: 'dense' })).toEqual([
      'task.t: the threshold must be ≤ k (2), but got 3',
    ]);
    expect(run({ name: 'boolean-target', family: 'majority', k: 4 }, { name: 'dense' })).toEqual([
      'task.k: majority needs an odd number of bits (or 0: all n), but got 4',
    ]);
    expect(run({ name: 'sparse-linear-regression', dims: 4, sparsity: 5, dimsStart: 6 }, { name: 'rnn' })).toEqual([
      'task.dimsStart: the first curriculum step must be ≤ dims (4), but got 6',
      'task.sparsity: the nonzeros of w must be ≤ dims (4), but got 5',
    ]);
    expect(
      issuesOf({
        task: { name: 'sparse-parity' },
        model: { name: 'dense' },
        trainer: { name: 'sgd' },
        run: { shuffle: true },
      }),
    ).toEqual([
      'run.shuffle: needs a finite training set: set run.trainSetSize too (online runs see every sample once anyway)',
    ]);
  });

  it('each task entry says what its task looks like without building it (the shape model checks read)', () => {
    const configs = [
      ...Object.keys(TASKS).map((name) => ({ name })),
      ...PRESETS.map((p) => validateConfig(p.config).task),
    ];
    for (const part of configs) {
      const config = validateConfig({ task: part, learners: [], model: { name: 'rcnn' }, trainer: { name: 'sgd' } });
      const entry = TASKS[config.task.name];
      const task = resolve(config).task;
      expect(entry?.shape(optionsOf(config.task)), part.name).toEqual({
        name: task.name,
        layout: task.layout,
        inputShape: task.inputShape,
        outputSize: task.outputSize,
      });
    }
  });

  it('at their defaults, every task × model pair passes the checks exactly when it builds and runExperiment takes it', () => {
    const defaults = (fields: FieldSpecs): Options =>
      Object.fromEntries(Object.entries(fields).map(([k, spec]) => [k, spec.default]));
    for (const [taskName, taskEntry] of Object.entries(TASKS))
      for (const [modelName, modelEntry] of Object.entries(MODELS)) {
        const passes = run({ name: taskName }, { name: modelName }).length === 0;
        let builds = true;
        try {
          const task = taskEntry.create(defaults(taskEntry.fields), {});
          builds = modelEntry.create(defaults(modelEntry.fields), { task, replicas: 1 }).layouts.includes(task.layout);
        } catch {
          builds = false;
        }
        expect(passes, `${taskName} × ${modelName}`).toBe(builds);
      }
  });
});
