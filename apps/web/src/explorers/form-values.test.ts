import { readField } from '@learnability/core';
import type { ConfigIssue } from '@learnability/core';
import type { FieldSpec } from '@learnability/core';
import { validateFields } from '@learnability/core';
import { MODELS } from '@learnability/presets';
import { describe, expect, it } from 'vitest';
import { describeBackend } from './worker-protocol.js';

const dense = MODELS.dense?.fields ?? {};

describe('readField: typed text → raw values the schema validates', () => {
  it('parses lists, numbers, nullable integers and booleans', () => {
    expect(readField(dense.widths as FieldSpec, '256, 128')).toEqual([256, 128]);
    expect(readField(dense.widths as FieldSpec, '[1000]')).toEqual([1000]);
    expect(readField(dense.degree as FieldSpec, ' 3 ')).toBe(3);
    expect(readField({ type: 'int?', default: null, doc: '' }, '')).toBeNull();
    expect(readField({ type: 'bool', default: true, doc: '' }, 'false')).toBe(false);
  });

  it('keeps what is not a number as text, so the schema names it in its one-line error', () => {
    const issues: ConfigIssue[] = [];
    validateFields(
      {
        widths: readField(dense.widths as FieldSpec, '256, wide'),
        degree: readField(dense.degree as FieldSpec, '2.5'),
      },
      dense,
      'model',
      issues,
    );
    expect(issues).toEqual([
      { path: 'model.widths', message: 'expected a non-empty list of integers ≥ 1, e.g. [1000], but got [256,"wide"]' },
      { path: 'model.degree', message: 'expected an integer in [1, 12], but got 2.5' },
    ]);
  });
});

describe('describeBackend', () => {
  it('names the adapter, the wasm threads, and why auto chose what it chose', () => {
    expect(
      describeBackend({
        name: 'webgpu',
        requested: 'auto',
        platform: 'browser',
        adapter: { vendor: 'nvidia', architecture: 'ampere', description: '', isFallbackAdapter: false },
      }),
    ).toBe('webgpu — nvidia ampere (auto)');
    expect(describeBackend({ name: 'wasm', requested: 'auto', platform: 'browser', threads: 2, simd: true })).toBe(
      'wasm — 2 threads, SIMD (auto: no hardware WebGPU adapter)',
    );
    expect(describeBackend({ name: 'cpu', requested: 'cpu', platform: 'browser' })).toBe('cpu');
  });
});
