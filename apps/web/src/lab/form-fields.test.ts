import { describe, expect, it } from 'vitest';
import { getPreset, MODELS, TASKS, TRAINERS } from '@learnability/presets';
import { fieldHint, formFields, numberAttributes, renamePart, specAt } from './form-fields.js';

const sparseParity = getPreset('sparse-parity').config;

describe('specAt', () => {
  it('gives part names as enums of the registry, and options their spec', () => {
    expect(specAt(sparseParity, 'task.name')).toMatchObject({ type: 'enum', values: Object.keys(TASKS) });
    expect(specAt(sparseParity, 'model.name')).toMatchObject({ type: 'enum', values: Object.keys(MODELS) });
    expect(specAt(sparseParity, 'trainer.name')).toMatchObject({ type: 'enum', values: Object.keys(TRAINERS) });
    expect(specAt(sparseParity, 'learners[0].name')).toMatchObject({ type: 'enum', values: ['gf2-elimination'] });
    expect(specAt(sparseParity, 'model.activation')).toBe(MODELS['dense']?.fields['activation']);
    expect(specAt(sparseParity, 'trainer.loss')).toBe(TRAINERS['sgd']?.fields['loss']);
    expect(specAt(sparseParity, 'task.n')).toMatchObject({ type: 'int', min: 1, max: 1 << 20 });
    expect(specAt(sparseParity, 'run.steps')).toMatchObject({ type: 'int', min: 0 });
  });

  it('knows nothing of unknown parts and keys', () => {
    expect(specAt({ task: { name: 'nope', n: 3 } }, 'task.n')).toBeNull();
    expect(specAt(sparseParity, 'task.bogus')).toBeNull();
    expect(specAt({ description: 'x' }, 'description')).toBeNull();
  });
});

describe('formFields', () => {
  it("lists the config's leaves, then each part's options left at their defaults", () => {
    const fields = formFields({ task: { name: 'sparse-parity', n: 10 }, run: { steps: 5 } });
    expect(fields.map((f) => [f.path, f.present, f.kind])).toEqual([
      ['task.name', true, 'string'],
      ['task.n', true, 'number'],
      ['task.k', false, 'number'],
      ['task.noise', false, 'number'],
      ['task.encoding', false, 'string'],
      ['task.seed', false, 'number'],
      ['run.steps', true, 'number'],
      ...['batchSize', 'evalEvery', 'testSize', 'evalChunk', 'seed', 'replicas'].map((k) => [
        `run.${k}`,
        false,
        'number',
      ]),
      ['run.trainSetSize', false, 'json'],
      ['run.shuffle', false, 'boolean'],
      ['run.learnedThreshold', false, 'number'],
      ['run.stopWhenLearned', false, 'boolean'],
    ]);
    expect(fields.find((f) => f.path === 'task.k')?.value).toBe(3);
  });

  it('has a spec for every field of every preset the lab opens with', () => {
    const fields = formFields(sparseParity);
    expect(fields.filter((f) => f.spec === null)).toEqual([]);
    expect(fields.filter((f) => f.spec?.type === 'enum').map((f) => f.path)).toEqual([
      'task.name',
      'task.encoding',
      'model.name',
      'model.activation',
      'model.init',
      'model.parameterization',
      'model.bias',
      'trainer.name',
      'trainer.loss',
      'learners[0].name',
    ]);
  });
});

describe('renamePart', () => {
  it('keeps the options the new part shares and drops the others', () => {
    const config = {
      task: { name: 'sparse-parity', n: 10 },
      trainer: { name: 'sgd', lr: 0.3, momentum: 0.9, loss: 'hinge' },
    };
    expect(renamePart(config, 'trainer.name', 'adam')).toEqual({
      task: config.task,
      trainer: { name: 'adam', lr: 0.3, loss: 'hinge' },
    });
    expect(config.trainer.momentum).toBe(0.9); // the original is untouched
    expect(renamePart({ learners: [{ name: 'gf2-elimination' }] }, 'learners[0].name', 'gf2-elimination')).toEqual({
      learners: [{ name: 'gf2-elimination' }],
    });
  });

  it('is null for other paths and unknown names', () => {
    expect(renamePart(sparseParity, 'task.n', '3')).toBeNull();
    expect(renamePart(sparseParity, 'model.name', 'nope')).toBeNull();
  });
});

describe('numberAttributes / fieldHint', () => {
  it("gives a numeric input the spec's range", () => {
    expect(numberAttributes(specAt(sparseParity, 'task.n'))).toEqual({ min: '1', max: String(1 << 20), step: '1' });
    expect(numberAttributes(specAt(sparseParity, 'trainer.lr'))).toEqual({ min: '0', step: 'any' });
    expect(numberAttributes(null)).toEqual({ step: 'any' });
  });

  it('says what a field is, its range and its default', () => {
    expect(fieldHint(specAt(sparseParity, 'task.noise'))).toBe(
      'label-flip probability η of training labels (test labels are clean) (0 … 0.5); default 0',
    );
    expect(fieldHint(specAt(sparseParity, 'model.activation'))).toMatch(/^hidden nonlinearity .*; default "relu"$/);
    expect(fieldHint(specAt(sparseParity, 'run.batchSize'))).toBe(
      'examples per replica per step (1 … ∞); default 32: Barak et al. 2022 use batch 32',
    );
    expect(fieldHint(specAt(sparseParity, 'trainer.lr'))).toMatch(/^learning rate.* \(> 0\); default 0\.1/);
  });
});
