import { describe, expect, it } from 'vitest';
import { getPreset } from '../presets.js';
import { resolve } from '../resolve.js';
import { validateConfig } from '../validate.js';

describe('inal parts and presets', () => {
  it('the inal presets resolve to a sign task on n bits and a dense model that fits it', () => {
    for (const name of ['inal-staircase', 'inal-high-degree-parity']) {
      const run = resolve(validateConfig(getPreset(name).config));
      expect([run.task.name, run.task.outputKind, run.model?.name, run.trainer?.name]).toEqual([
        'boolean-target',
        'sign',
        'dense',
        'noisy-gd',
      ]);
      expect(run.model?.inputShape).toEqual(run.task.inputShape);
    }
    expect(resolve(validateConfig(getPreset('inal-staircase').config)).task.describe()).toMatchObject({
      target: 'staircase:4',
      n: 32,
    });
  });

  it('reports bad fields with their paths, and a k that does not fit n (before building the task)', () => {
    expect(() =>
      validateConfig({
        task: { name: 'boolean-target', family: 'xor', n: 0 },
        model: { name: 'dense' },
        trainer: { name: 'sgd' },
      }),
    ).toThrow(/task\.family: expected one of "parity", .*; task\.n: expected an integer in \[1, 1048576\], but got 0/);
    expect(() =>
      validateConfig({
        task: { name: 'boolean-target', family: 'parity', n: 4, k: 5 },
        model: { name: 'dense' },
        trainer: { name: 'sgd' },
      }),
    ).toThrow(/^task\.k: must be ≤ n \(4\), but got 5$/);
  });
});
