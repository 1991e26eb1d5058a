import { describe, expect, it } from 'vitest';
import { getPreset } from '../presets.js';
import { resolve } from '../resolve.js';
import { validateConfig } from '../validate.js';

describe('align parts and presets', () => {
  it('align-mnist and align-add resolve to a task, model and trainer that fit each other', () => {
    const mnist = resolve(validateConfig(getPreset('align-mnist').config));
    expect([mnist.task.name, mnist.task.outputKind, mnist.model?.name, mnist.trainer?.name]).toEqual([
      'mnist',
      'class',
      'dense',
      'align-ada-current',
    ]);
    expect(mnist.model?.inputShape).toEqual([784]);
    const add = resolve(validateConfig(getPreset('align-add').config));
    expect([add.task.layout, add.model?.name, add.model?.inputShape, add.model?.outputSize]).toEqual([
      'sequence',
      'rnn',
      [100, 1],
      100,
    ]);
    expect(add.options.trainSetSize).toBe(300);
  });

  it("align-mnist-paper is the paper's protocol: raw pixels, lr 3, batch 100, the 8,000 training digits in epoch shuffles", () => {
    const config = validateConfig(getPreset('align-mnist-paper').config);
    const paper = resolve(config);
    expect(paper.task.describe()).toMatchObject({ name: 'mnist', normalize: false });
    expect(paper.trainer?.describe()).toMatchObject({ lr: 3 });
    expect([paper.options.batchSize, paper.options.trainSetSize, paper.options.shuffle]).toEqual([100, 8_000, true]);
    expect(() => validateConfig({ ...config, run: { ...config.run, trainSetSize: null } })).toThrow(
      'run.shuffle: needs a finite training set',
    );
  });

  it('every rule is a trainer by name, and the rnn refuses a vector task', () => {
    for (const name of ['align-zero', 'align-ada', 'fa', 'dfa', 'backprop']) {
      const config = validateConfig({ ...getPreset('align-add').config, trainer: { name } });
      expect(resolve(config).trainer?.describe()).toMatchObject({ rule: name === 'align-ada' ? 'align-ada' : name });
    }
    // Each rule takes the options it reads: a gate is Align-ada's, a feedback seed FA's and DFA's.
    expect(() =>
      validateConfig({ ...getPreset('align-add').config, trainer: { name: 'align-zero', gate: 'frozen', seed: 1 } }),
    ).toThrow(/^trainer\.gate: unknown option "gate"; .*; trainer\.seed: unknown option "seed"; .*known: lr$/);
    expect(() =>
      validateConfig({ task: { name: 'sparse-parity', n: 8, k: 2 }, model: { name: 'rnn' }, trainer: { name: 'fa' } }),
    ).toThrow(
      /^model: model "rnn" needs a sequence task with inputShape \[T, d\], but task "sparse-parity" has \[8\]$/,
    );
  });

  it("FA's and DFA's feedback seed is the run's unless trainer.seed names one", () => {
    const base = getPreset('align-add').config as { run: object };
    const seedOf = (name: string, runSeed: number, own: object = {}) =>
      resolve(
        validateConfig({ ...base, trainer: { name, ...own }, run: { ...base.run, seed: runSeed } }),
      ).trainer?.describe().seed;
    for (const rule of ['fa', 'dfa'])
      expect([seedOf(rule, 0), seedOf(rule, 5), seedOf(rule, 5, { seed: 2 })]).toEqual([0, 5, 2]);
    // The rules that draw no feedback record no seed.
    expect(seedOf('align-ada', 5)).toBeUndefined();
  });
});
