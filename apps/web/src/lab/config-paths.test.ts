import { describe, expect, it } from 'vitest';
import { applyOverrides } from '@learnability/presets';
import { configFields, fieldText, parseFieldText, parsePath, setAtPath } from './config-paths.js';

describe('configFields', () => {
  it('lists leaves in the paths ConfigError uses: lists of values are one leaf, lists of objects are indexed', () => {
    const fields = configFields({
      task: { name: 'sparse-parity', n: 10 },
      model: { widths: [64], bias: null },
      run: { stopWhenLearned: true },
      learners: [{ name: 'gf2-elimination' }],
      extra: {},
    });
    expect(fields.map((f) => [f.path, f.kind])).toEqual([
      ['task.name', 'string'],
      ['task.n', 'number'],
      ['model.widths', 'json'],
      ['model.bias', 'json'],
      ['run.stopWhenLearned', 'boolean'],
      ['learners[0].name', 'string'],
      ['extra', 'json'],
    ]);
  });
});

describe('setAtPath / parsePath', () => {
  it('sets a leaf without touching the original, creating what is missing', () => {
    const config = { task: { n: 10 }, learners: [{ name: 'a' }] };
    expect(setAtPath(config, 'learners[0].name', 'b')).toEqual({ task: { n: 10 }, learners: [{ name: 'b' }] });
    expect(setAtPath(config, 'run.steps', 5)).toEqual({
      task: { n: 10 },
      learners: [{ name: 'a' }],
      run: { steps: 5 },
    });
    expect(config.learners[0]?.name).toBe('a');
  });

  it('rejects malformed paths with one line', () => {
    expect(parsePath('learners[2].name')).toEqual(['learners', 2, 'name']);
    for (const bad of ['', 'a..b', 'a[x]', 'a]'])
      expect(() => parsePath(bad)).toThrow(/^config path ".*" is malformed/);
  });
});

describe('field text', () => {
  it('reads text like the CLI --set and shows values so they read back the same', () => {
    expect(parseFieldText('0.05')).toBe(0.05);
    expect(parseFieldText('[1, 2]')).toEqual([1, 2]);
    expect(parseFieldText('relu')).toBe('relu');
    expect(parseFieldText('abc1')).toBe('abc1');
    for (const v of ['relu', '30', 'true', 3, [64, 64], null, false]) expect(parseFieldText(fieldText(v))).toEqual(v);
  });

  it("shows a string quoted where a link's set= would read it back as another value, or refuse it", () => {
    // A number JSON does not spell, and a list typed half-way (the URL is rewritten at each key).
    for (const s of ['.5', '007', '[51', '{"a"']) {
      expect(fieldText(s)).toBe(JSON.stringify(s));
      expect(applyOverrides({}, [`run.value=${fieldText(s)}`])).toEqual({ run: { value: s } });
    }
    expect(fieldText('relu')).toBe('relu');
  });
});
