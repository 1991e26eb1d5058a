import { defineSchema } from '@learnability/core';
import { describe, expect, it } from 'vitest';
import { formDefaults, readForm } from './form-schema.js';

const FORM = defineSchema(
  {
    ns: { type: 'int[]', default: [8, 16], min: 2, max: 256, maxItems: 4, doc: 'input sizes' },
    steps: { type: 'int', default: 300, min: 1, doc: 'steps' },
    evalEvery: { type: 'int', default: 20, min: 1, doc: 'steps between evaluations' },
    lr: { type: 'number', default: 0.3, min: 0, exclusiveMin: true, doc: 'learning rate' },
    rule: { type: 'enum', values: ['fa', 'dfa'], default: 'fa', doc: 'rule' },
  },
  [
    {
      paths: ['evalEvery', 'steps'],
      test: (o) => o.steps / o.evalEvery <= 100,
      message: (o) => `at most 100 evaluations: use evalEvery ≥ ${Math.ceil(o.steps / 100)}`,
    },
  ],
);

describe('an explorer form from its schema', () => {
  it('starts from the defaults as text, and reads them back as the defaults', () => {
    const texts = formDefaults(FORM);
    expect(texts).toEqual({ ns: '8,16', steps: '300', evalEvery: '20', lr: '0.3', rule: 'fa' });
    const values = { ns: [8, 16], steps: 300, evalEvery: 20, lr: 0.3, rule: 'fa' };
    expect(readForm(FORM, texts)).toEqual({ values, valid: values, issues: [] });
  });

  it('reports every bad field at once at its name, then the rules across fields', () => {
    const bad = readForm(FORM, { ns: '8, 512', steps: 'x', evalEvery: '20', lr: '0', rule: 'bp' });
    expect(bad.values).toBeNull();
    expect(bad.issues.map((i) => i.path)).toEqual(['ns', 'steps', 'lr', 'rule']);
    expect(bad.issues[1]?.message).toBe('expected an integer ≥ 1, but got "x"');
    // The fields that are fine on their own are still read, for a form's own checks.
    expect(bad.valid).toEqual({ evalEvery: 20 });
    const many = readForm(FORM, { ...formDefaults(FORM), steps: '5000' });
    expect(many.issues).toEqual([{ path: 'evalEvery', message: 'at most 100 evaluations: use evalEvery ≥ 50' }]);
  });
});
