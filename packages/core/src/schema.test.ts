import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import {
  checkField,
  closestWord,
  defaultsOf,
  defineSchema,
  describeFields,
  readField,
  resolveOptions,
  unknownKeyMessage,
} from './schema.js';

const SCHEMA = defineSchema(
  {
    embedSize: { type: 'int', default: 8, min: 1, doc: 'width D', why: 'small enough for CPU tests' },
    heads: { type: 'int', default: 2, min: 1, doc: 'attention heads' },
    widths: { type: 'int[]', default: [4, 4], min: 1, doc: 'hidden widths' },
    mode: { type: 'enum', values: ['a', 'b'], default: 'a', doc: 'a mode' },
    lr: { type: 'number', default: 0.1, min: 0, exclusiveMin: true, doc: 'step size', unit: 'per step' },
  },
  [
    {
      paths: ['heads', 'embedSize'],
      test: (o) => o.embedSize % o.heads === 0,
      message: (o) => `heads (${o.heads}) must divide embedSize (${o.embedSize})`,
    },
  ],
);

describe('part schemas', () => {
  it('defaultsOf gives every default, with arrays copied', () => {
    const d = defaultsOf(SCHEMA);
    expect(d).toEqual({ embedSize: 8, heads: 2, widths: [4, 4], mode: 'a', lr: 0.1 });
    d.widths.push(9);
    expect(SCHEMA.fields.widths.default).toEqual([4, 4]);
  });

  it('resolveOptions fills defaults, keeps the context keys it is told of and skips undefined', () => {
    const c = resolveOptions('part', SCHEMA, { heads: 4, inputSize: 3, mode: undefined }, ['inputSize']);
    expect(c).toEqual({ embedSize: 8, heads: 4, widths: [4, 4], mode: 'a', lr: 0.1, inputSize: 3 });
    // A context key given as undefined is left out too, so that a factory's own default under it stands.
    const d = resolveOptions('part', SCHEMA, { heads: 4, inputSize: undefined }, ['inputSize']);
    expect(Object.keys(d)).not.toContain('inputSize');
  });

  it('resolveOptions refuses options that are no object (null, a number, an array from plain JS) in one line', () => {
    for (const [given, shown] of [
      [null, 'null'],
      [5, '5'],
      [[], 'an array'],
    ] as const)
      expect(() => resolveOptions('part', SCHEMA, given as never)).toThrow(
        `part: expected an options object ({ embedSize, heads, … }) or none, but got ${shown}`,
      );
  });

  it('resolveOptions reports every field problem at once, with paths, then the rules across fields', () => {
    const bad = () => resolveOptions('part', SCHEMA, { embedSize: 0, lr: 0 });
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(
      'part.embedSize: expected an integer ≥ 1, but got 0; part.lr: expected a number > 0, but got 0',
    );
    expect(() => resolveOptions('part', SCHEMA, { embedSize: 6, heads: 4 })).toThrow(
      'part.heads: heads (4) must divide embedSize (6)',
    );
  });

  it('resolveOptions reports a misspelt option, with the nearest known one', () => {
    // As a JavaScript caller or a parsed file would pass it (TypeScript rejects the key at compile time).
    const typo: { heads?: number; inputSize: number } = JSON.parse('{"head": 4, "inputSize": 3}');
    expect(() => resolveOptions('part', SCHEMA, typo, ['inputSize'])).toThrow(
      'part.head: unknown option "head"; did you mean "heads"? known: embedSize, heads, widths, mode, lr, inputSize',
    );
  });

  it('checkField names what it expected and what came', () => {
    expect(checkField(SCHEMA.fields.mode, 'c')).toBe('expected one of "a", "b", but got "c"');
    expect(checkField(SCHEMA.fields.widths, [])).toBe(
      'expected a non-empty list of integers ≥ 1, e.g. [4, 4], but got []',
    );
    expect(checkField({ type: 'int?', default: null, min: 1, doc: '' }, null)).toBeNull();
    expect(checkField({ type: 'int?', default: null, min: 1, max: 8, doc: '' }, 9)).toBe(
      'expected null or an integer in [1, 8], but got 9',
    );
    // A distinct list is a set of things to measure: a repeat is named, a shape's list may repeat.
    const ns = { type: 'int[]', default: [8], min: 1, distinct: true, doc: '' } as const;
    expect(checkField(ns, [8, 16, 8])).toBe('expected each value once, but 8 is listed twice');
    expect(checkField(ns, [8, 16])).toBeNull();
    expect(checkField(SCHEMA.fields.widths, [4, 4])).toBeNull();
    // JSON.parse('1e999') is Infinity, which JSON.stringify would print as null.
    expect(checkField(SCHEMA.fields.lr, Number.POSITIVE_INFINITY)).toBe(
      'expected a number > 0, but got Infinity (beyond ±1.8e308, the largest float)',
    );
    // In a list it read as [64,null]; a BigInt (plain JS) threw a TypeError from JSON.stringify.
    expect(checkField(SCHEMA.fields.widths, [64, Number.POSITIVE_INFINITY])).toMatch(/, but got \[64, Infinity\]$/);
    expect(checkField(SCHEMA.fields.lr, 20n)).toBe('expected a number > 0, but got 20n');
  });

  it('suggests the nearest known key', () => {
    expect(unknownKeyMessage('widht', ['widths', 'heads'])).toBe(
      'unknown option "widht"; did you mean "widths"? known: widths, heads',
    );
    expect(unknownKeyMessage('zzz', ['widths'])).toBe('unknown option "zzz"; known: widths');
  });

  it('describes each field with its unit and the reason for its default', () => {
    expect(describeFields(SCHEMA.fields)).toContain('embedSize (int, default 8): width D (small enough for CPU tests)');
    expect(describeFields(SCHEMA.fields)).toContain('lr (number, default 0.1, per step): step size');
  });
});

describe('readField', () => {
  const ns = { type: 'int[]', default: [8], min: 2, max: 256, maxItems: 3, doc: 'input sizes' } as const;
  it('reads text as the field’s type, and hands back what it cannot read for checkField to reject', () => {
    expect(readField(ns, ' 8, 16 32 ')).toEqual([8, 16, 32]);
    expect(readField(ns, '[8, 16]')).toEqual([8, 16]);
    // A blank item is a typo, not a shorter list: the text comes back, and checkField names it.
    for (const typo of ['8,,16', '8, 16,', ',8', '[8,,16]'])
      expect(checkField(ns, readField(ns, typo)), typo).toBe(
        `expected a list of 1 to 3 integers in [2, 256], e.g. [8], but got "${typo}"`,
      );
    expect(readField({ type: 'int?', default: null, doc: '' }, 'null')).toBeNull();
    expect(readField({ type: 'bool', default: false, doc: '' }, 'true')).toBe(true);
    expect(readField({ type: 'number', default: 1, doc: '' }, '1e-3')).toBe(0.001);
    expect(checkField({ type: 'int', default: 1, doc: '' }, readField({ type: 'int', default: 1, doc: '' }, 'x'))).toBe(
      'expected an integer, but got "x"',
    );
  });

  it('bounds an integer list’s items and its length', () => {
    expect(checkField(ns, readField(ns, '8,512'))).toBe(
      'expected a list of 1 to 3 integers in [2, 256], e.g. [8], but got [8,512]',
    );
    expect(checkField(ns, [2, 4, 8, 16])).toMatch(/^expected a list of 1 to 3 integers/);
  });
});

describe('closestWord, the one "did you mean" rule', () => {
  it('suggests typos and prefixes, nothing for unrelated words', () => {
    const presets = ['sparse-parity', 'parity-elimination', 'noisy-gd-parity'];
    expect(closestWord('sparse-parit', presets)).toBe('sparse-parity');
    expect(closestWord('sparse-parrity', presets)).toBe('sparse-parity');
    expect(closestWord('step', ['steps', 'seed', 'set'])).toBe('steps');
    expect(closestWord('replica', ['replicas', 'resume'])).toBe('replicas');
    expect(closestWord('kitten', ['sitting'])).toBeUndefined(); // 3 edits
    expect(closestWord('banana', presets)).toBeUndefined();
    // Two edits turn any short word into another: `sweep --set` is no typo of --out.
    expect(closestWord('set', ['out', 'plot', 'workers'])).toBeUndefined();
    expect(closestWord('out', ['set', 'seed'])).toBeUndefined();
    expect(closestWord('set', ['seed', 'sizes'])).toBeUndefined();
    expect(closestWord('sed', ['seed', 'sizes'])).toBe('seed');
    // A prefix of any known word wins over the nearest by edits: `back` read as `task` (2 edits),
    // and `eval`, 5 edits from `evalEvery`, found nothing.
    expect(closestWord('back', ['task', 'model', 'backend'])).toBe('backend');
    expect(closestWord('eval', ['steps', 'evalEvery', 'testSize'])).toBe('evalEvery');
    expect(closestWord('stop', ['steps', 'stopWhenLearned'])).toBe('stopWhenLearned');
    // A one-letter key is no prefix to go by: `nosie` is a typo of `noise`, not `n` extended.
    expect(closestWord('nosie', ['n', 'k', 'noise'])).toBe('noise');
    // A one-letter word one edit from a one-letter key shares nothing with it.
    expect(closestWord('T', ['steps', 'p'])).toBeUndefined();
    expect(closestWord('q', ['n', 'k'])).toBeUndefined();
  });

  it('is the rule of config keys too, which suggested "out" for "set" before', () => {
    expect(unknownKeyMessage('set', ['out', 'lr'])).toBe('unknown option "set"; known: out, lr');
    expect(unknownKeyMessage('widht', ['inputSize', 'widths'])).toBe(
      'unknown option "widht"; did you mean "widths"? known: inputSize, widths',
    );
  });
});
