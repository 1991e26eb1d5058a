import * as tf from '@tensorflow/tfjs-core';
import { setupTestBackend } from '@learnability/backends/testing';
import { checkField } from '@learnability/core';
import { INAL_SERIES_SCHEMA, fitInalSlope, logLogSlope } from '@learnability/inal';
import { beforeAll, describe, expect, it } from 'vitest';
import { formDefaults } from './form-schema.js';
import { INAL_FORM_SCHEMA, closedFormInal, measureInalSeries, validateInalForm } from './inal-series.js';
import type { InalForm } from './inal-series.js';

const form = (over: Partial<InalForm> = {}): InalForm => ({
  target: 'parity:1',
  model: 'dense',
  ...formDefaults(INAL_FORM_SCHEMA),
  modelOptions: { widths: [32] },
  ...over,
});

const issuePaths = (f: InalForm) => validateInalForm(f).issues.map((i) => i.path);

describe('validateInalForm', () => {
  it('accepts the defaults and fills every model option', () => {
    const { request, issues } = validateInalForm(form());
    expect(issues).toEqual([]);
    expect(request?.ns).toEqual([8, 16, 32]);
    expect(request?.model).toEqual({
      name: 'dense',
      options: {
        widths: [32],
        activation: 'relu',
        degree: 3,
        parameterization: 'standard',
        init: 'gaussian',
        bias: 'zero',
      },
    });
  });

  it('reports every bad field at once, each at its own path with a one-line message', () => {
    const { request, issues } = validateInalForm(
      form({ target: 'parity', ns: '8,999', inits: '1', modelOptions: { widths: [0], widht: [3] }, estimator: 'mean' }),
    );
    expect(request).toBeNull();
    expect(issues.map((i) => i.path).sort()).toEqual([
      'estimator',
      'inits',
      'model.widht',
      'model.widths',
      'ns',
      'target',
    ]);
    for (const i of issues) expect(i.message).not.toMatch(/\n/);
    expect(issues.find((i) => i.path === 'ns')?.message).toBe(
      'expected a list of 1 to 12 integers in [2, 256], e.g. [8, 16, 32], but got [8,999]',
    );
    expect(issues.find((i) => i.path === 'model.widht')?.message).toMatch(/did you mean "widths"/);
  });

  it('words a bad value as learnability inal does (the same field spec, the same message)', () => {
    const { issues } = validateInalForm(form({ seed: '-1', estimator: 'mean', samples: '32' }));
    const at = (path: string) => issues.find((i) => i.path === path)?.message;
    // commands/inal.test.ts expects these words after `--estimator:` for `--estimator mean`.
    expect(at('estimator')).toBe('expected one of "pooled", "max", but got "mean"');
    expect(at('seed')).toBe(checkField(INAL_SERIES_SCHEMA.fields.seed, -1));
    // The form's own, narrower range, in the same words.
    expect(at('samples')).toBe('expected an integer in [64, 262144], but got 32');
  });

  it('catches a target that does not fit some n', () => {
    expect(issuePaths(form({ target: 'parity:12', ns: '8,16' }))).toEqual(['target']);
    expect(validateInalForm(form({ target: 'parity:12', ns: '8,16' })).issues[0]?.message).toMatch(/^at n = 8: /);
  });

  it('checks the target against each n even while another field is bad', () => {
    expect(issuePaths(form({ target: 'parity:12', ns: '8,16', samples: '32' }))).toEqual(['samples', 'target']);
  });

  it('checks the model on the task at every n before any is measured, as the CLI does', () => {
    const narrow = form({ model: 'rcnn', modelOptions: { gridWidth: 10 }, ns: '6,8,12' });
    const { request, issues } = validateInalForm(narrow);
    expect(request).toBeNull();
    expect(issues.map((i) => [i.path, i.message.slice(0, 10)])).toEqual([['model.gridWidth', 'at n = 12:']]);
  });

  it('gives the closed form only for Gaussian weights, which it assumes', () => {
    const gaussian = validateInalForm(form()).request;
    const uniform = validateInalForm(form({ modelOptions: { widths: [32], init: 'torch-linear' } })).request;
    if (!gaussian || !uniform) throw new Error('both forms should be valid');
    expect(closedFormInal(gaussian, 8)).toBeGreaterThan(0);
    expect(closedFormInal(uniform, 8)).toBeNull();
  });

  it('rejects a non-vector model and too large an exact enumeration', () => {
    expect(issuePaths(form({ model: 'rnn' }))).toEqual(['model']);
    expect(issuePaths(form({ exactMaxBits: '21' }))).toEqual(['exactMaxBits']);
  });
});

describe('measureInalSeries (wasm)', () => {
  beforeAll(async () => {
    await setupTestBackend('wasm');
  });

  it("parity:1 decays like 1/n (slope ≈ −1, the CLI test's setting) and matches the closed form", async () => {
    const { request } = validateInalForm(form({ ns: '6,8,10', inits: '8' }));
    if (!request) throw new Error('the form should be valid');
    const before = tf.memory().numTensors;
    const seen: number[] = [];
    const points = await measureInalSeries(request, (q) => void seen.push(q.n));
    expect(tf.memory().numTensors).toBe(before);
    expect(seen).toEqual([6, 8, 10]);
    expect(points.map((q) => q.method)).toEqual(['exact', 'exact', 'exact']);
    for (const q of points) {
      expect(q.resolved).toBe(true);
      expect(q.ciLow <= q.inal && q.inal <= q.ciHigh).toBe(true);
      // 8 inits × 32 neurons: the layer average is within 25 % of E[c²] of one ReLU neuron.
      expect(q.closedForm).not.toBeNull();
      expect(Math.abs(q.inal / (q.closedForm as number) - 1)).toBeLessThan(0.25);
    }
    const fit = fitInalSlope(points);
    expect(fit?.ns).toEqual([6, 8, 10]);
    expect(fit?.slope).toBeGreaterThan(-1.3);
    expect(fit?.slope).toBeLessThan(-0.7);
  });

  it("parity:2 decays like n^−2: its slope follows the closed form's over the same n", async () => {
    const { request } = validateInalForm(
      form({ target: 'parity:2', ns: '8,12,16', inits: '16', modelOptions: { widths: [256] } }),
    );
    if (!request) throw new Error('the form should be valid');
    const points = await measureInalSeries(request);
    const fit = fitInalSlope(points);
    const exact = logLogSlope(points.map((q) => ({ x: q.n, y: q.closedForm as number })));
    expect(fit?.ns).toEqual([8, 12, 16]);
    expect(exact?.slope).toBeLessThan(-1.7);
    expect(Math.abs((fit?.slope as number) - (exact?.slope as number))).toBeLessThan(0.2);
    for (const q of points)
      expect(q.ciLow <= (q.closedForm as number) && (q.closedForm as number) <= q.ciHigh).toBe(true);
  });
});
