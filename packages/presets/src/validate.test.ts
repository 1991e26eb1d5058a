import { ConfigError } from '@learnability/core';
import { describe, expect, it } from 'vitest';
import { applyOverrides, expandExtends } from './overrides.js';
import { PRESETS, getPreset } from './presets.js';
import { resolve } from './resolve.js';
import { validateConfig } from './validate.js';

const issuesOf = (raw: unknown): string[] => {
  try {
    validateConfig(raw);
  } catch (e) {
    if (e instanceof ConfigError) return e.issues.map((i) => `${i.path}: ${i.message}`);
    throw e;
  }
  return [];
};

describe('validateConfig', () => {
  it('accepts every preset and fills every default', () => {
    for (const p of PRESETS) {
      const c = validateConfig(p.config);
      expect(c.run.learnedThreshold).toBe(0.99);
      expect(c.backend).toBe('auto');
    }
    const c = validateConfig(getPreset('sparse-parity').config);
    expect(c.model).toEqual({
      name: 'dense',
      widths: [1000],
      activation: 'relu',
      degree: 3,
      parameterization: 'standard',
      init: 'torch-linear',
      bias: 'zero',
    });
    expect(c.trainer).toEqual({ name: 'sgd', lr: 0.1, momentum: 0, weightDecay: 0.01, loss: 'hinge' });
  });

  it('reports every problem at once, each with its path, the expectation and a hint', () => {
    const issues = issuesOf({
      task: { name: 'sparse-parity', n: 'fifty', k: 3 },
      model: { name: 'dense', widht: [10] },
      trainer: { name: 'sgd', lr: -1 },
      run: { replicas: 0, steps: 1.5 },
      backend: 'tpu',
      colour: 'red',
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        'task.n: expected an integer in [1, 1048576], but got "fifty"',
        expect.stringMatching(/^model\.widht: unknown option "widht"; did you mean "widths"\?/),
        'trainer.lr: expected a number > 0, but got -1',
        'run.replicas: expected an integer in [1, 1024], but got 0',
        'run.steps: expected an integer ≥ 0, but got 1.5',
        'backend: expected one of "auto", "cpu", "wasm", "webgpu", but got "tpu"',
        expect.stringMatching(/^colour: unknown key "colour"/),
      ]),
    );
    expect(issues).toHaveLength(7);
  });

  it('rejects unknown part names, a batch larger than the training set, and a run with nothing to train', () => {
    expect(issuesOf({ task: { name: 'sparse-parity' }, model: { name: 'mlp' }, trainer: { name: 'sgd' } })).toEqual([
      expect.stringMatching(/^model\.name: unknown name "mlp"; known: dense/),
    ]);
    expect(
      issuesOf({
        task: { name: 'sparse-parity' },
        model: { name: 'dense' },
        trainer: { name: 'sgd' },
        run: { trainSetSize: 10, batchSize: 32 },
      }),
    ).toEqual(['run.batchSize: must be ≤ run.trainSetSize (10), but got 32']);
    expect(issuesOf({ task: { name: 'sparse-parity' } })).toEqual([
      'model: a run needs a model and trainer, or at least one learner',
    ]);
  });

  it('ConfigError.message joins the issues on one line', () => {
    expect(() =>
      validateConfig({ task: { name: 'sparse-parity', k: -1 }, learners: [{ name: 'gf2-elimination' }] }),
    ).toThrow(/^task\.k: expected an integer ≥ 0, but got -1$/);
  });
});

describe('overrides and extends', () => {
  it('--set parses JSON values and creates missing objects', () => {
    const out = applyOverrides({ model: { name: 'dense' } }, [
      'model.widths=[64,64]',
      'trainer.lr=0.05',
      'task.name=sparse-parity',
      'run.trainSetSize=null',
    ]);
    expect(out).toEqual({
      model: { name: 'dense', widths: [64, 64] },
      trainer: { lr: 0.05 },
      task: { name: 'sparse-parity' },
      run: { trainSetSize: null },
    });
    expect(() => applyOverrides({}, ['lr'])).toThrow('--set: expected path=value like trainer.lr=0.05, but got "lr"');
  });

  it('extends merges a preset under the file, replacing lists', () => {
    const raw = expandExtends({ extends: 'sparse-parity', model: { widths: [64] }, run: { steps: 10 } }) as Record<
      string,
      Record<string, unknown>
    >;
    expect(raw.model).toEqual({ name: 'dense', widths: [64], activation: 'relu', init: 'torch-linear' });
    expect(raw.run?.steps).toBe(10);
    expect(raw.run?.batchSize).toBe(32);
    expect(() => expandExtends({ extends: 'nope' })).toThrow('unknown preset "nope"; known presets: sparse-parity');
  });

  it('resolve builds the parts a config names', () => {
    const run = resolve(
      validateConfig(applyOverrides(getPreset('sparse-parity').config, ['model.widths=[8]', 'run.replicas=2'])),
    );
    expect(run.task.inputShape).toEqual([50]);
    expect(run.model?.replicas).toBe(2);
    expect(run.model?.paramCount).toBe(50 * 8 + 8 + 8 + 1);
    expect(run.trainer?.name).toBe('sgd');
    expect(run.learners?.map((l) => l.name)).toEqual(['gf2-elimination']);
  });
});
