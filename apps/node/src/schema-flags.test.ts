import { describe, expect, it } from 'vitest';
import { parseFlags } from './args.js';
import { flagHelp, parseSchemaFlags, threadsOffWasm } from './schema-flags.js';
import type { FlagSpecs } from './schema-flags.js';

const SPECS = {
  n: { type: 'int[]', default: [8, 16], min: 1, doc: 'input sizes' },
  steps: { type: 'int', default: 400, min: 0, doc: 'steps' },
  lr: { type: 'number', default: 0.1, min: 0, exclusiveMin: true, doc: 'step size' },
  threads: { type: 'int?', default: null, min: 1, doc: 'threads' },
  backend: { type: 'enum', values: ['cpu', 'wasm'], default: 'wasm', doc: 'backend' },
  docs: { type: 'bool', default: false, doc: 'write docs' },
  rules: { type: 'string[]', default: ['a'], values: ['a', 'b'], doc: 'rules' },
  out: { type: 'string', default: '', doc: 'folder' },
} as const satisfies FlagSpecs;

describe('parseSchemaFlags', () => {
  it('fills defaults and reads each type from its text', () => {
    expect(parseSchemaFlags('run x', [], SPECS).values).toEqual({
      n: [8, 16],
      steps: 400,
      lr: 0.1,
      threads: null,
      backend: 'wasm',
      docs: false,
      rules: ['a'],
      out: '',
    });
    const argv = ['--n', '4, 6', '--steps', '0', '--lr', '1e-3', '--threads', '2', '--backend', 'cpu', '--docs'];
    const { values } = parseSchemaFlags('run x', [...argv, '--rules', 'b,a', '--out', 'd'], SPECS);
    expect(values).toEqual({
      n: [4, 6],
      steps: 0,
      lr: 0.001,
      threads: 2,
      backend: 'cpu',
      docs: true,
      rules: ['b', 'a'],
      out: 'd',
    });
  });

  it('collects a repeatable flag in order, with commas kept', () => {
    const specs = {
      set: { type: 'strings', arg: 'path=value', default: [], doc: 'overrides' },
    } as const satisfies FlagSpecs;
    expect(parseSchemaFlags('run x', [], specs).values.set).toEqual([]);
    const argv = ['--set', 'model.widths=[8,8]', '--set', 'run.steps=3'];
    expect(parseSchemaFlags('run x', argv, specs).values.set).toEqual(['model.widths=[8,8]', 'run.steps=3']);
    expect(flagHelp(specs)).toBe(`${'  --set path=value'.padEnd(22)} overrides`);
  });

  it('names every bad flag in one error', () => {
    const argv = ['--n', '4,x', '--steps', '1.5', '--lr', '0', '--backend', 'gpu', '--rules', 'c'];
    expect(() => parseSchemaFlags('run x', argv, SPECS)).toThrow(
      'run x: --n: expected a non-empty list of integers ≥ 1, e.g. [8, 16], but got [4,"x"]; --steps: expected an integer ≥ 0, but got 1.5; --lr: expected a number > 0, but got 0; --backend: expected one of "cpu", "wasm", but got "gpu"; --rules: unknown value "c"; known: a, b; see learnability run x --help',
    );
    expect(() => parseSchemaFlags('run x', ['--stpes', '3'], SPECS)).toThrow(
      'run x: unknown flag --stpes (did you mean --steps?); see learnability run x --help',
    );
    // Unknown flags (and their values) are reported with the known flags' problems, in one error.
    expect(() =>
      parseSchemaFlags('run x', ['--stpes', '3', '--lr', '0', '--zzz=1', '-q', '--offset', '-2'], SPECS),
    ).toThrow(
      'run x: unknown flag --stpes (did you mean --steps?); unknown flag --zzz; unknown flag -q; unknown flag --offset; --lr: expected a number > 0, but got 0; see learnability run x --help',
    );
    // A value given to a switch: node's own words were "Option '--json' does not take an argument".
    expect(() => parseSchemaFlags('run x', ['--json=false'], SPECS)).toThrow(
      'run x: --json is a switch and takes no value: write --json to turn it on, or leave it out; see learnability run x --help',
    );
  });

  it('refuses an empty value typed for a number, enum, optional or non-empty string flag, where the default would quietly stand', () => {
    const specs = { ...SPECS, steps2: { type: 'string', default: '', doc: 'steps as text', nonEmpty: true } } as const;
    const empty = ['--steps', '', '--threads', '', '--backend', '', '--n', '', '--steps2', ''];
    expect(() => parseSchemaFlags('run x', empty, specs)).toThrow(
      'run x: --n: expected a non-empty list of integers ≥ 1, e.g. [8, 16], but got ""; --steps: expected an integer ≥ 0, but got ""; --threads: expected an integer ≥ 1, but got ""; --backend: expected one of "cpu", "wasm", but got ""; --steps2: expected a value, but got ""; leave the flag out for the default; see learnability run x --help',
    );
    // A string flag whose empty value is a choice (here: the default folder) takes it.
    expect(parseSchemaFlags('run x', ['--out', ''], specs).values.out).toBe('');
  });

  it('refuses a list with a blank item (a typo), where it once dropped the item', () => {
    const sizes: FlagSpecs[string] = { type: 'ints', default: [], min: 1, doc: 'sizes' };
    const specs = { ...SPECS, sizes };
    expect(() => parseSchemaFlags('run x', ['--rules', 'a,,b', '--sizes', '64,,128', '--n', '8,'], specs)).toThrow(
      'run x: --n: expected a non-empty list of integers ≥ 1, e.g. [8, 16], but got "8,"; --rules: expected comma-separated items with none blank, but got "a,,b"; --sizes: expected comma-separated items with none blank, but got "64,,128"; see learnability run x --help',
    );
    // All blank is no items, where a list may be empty.
    expect(parseSchemaFlags('run x', ['--sizes', ' '], specs).values.sizes).toEqual([]);
  });

  it('refuses an item listed twice in a list flag, which would run it twice', () => {
    const sizes: FlagSpecs[string] = { type: 'ints', default: [], min: 1, doc: 'sizes' };
    const specs = { ...SPECS, sizes };
    expect(() => parseSchemaFlags('run x', ['--n', '8,16,8', '--rules', 'b,b', '--sizes', '4,4'], specs)).toThrow(
      'run x: --n: 8 is listed twice; give each value once; --rules: b is listed twice; give each value once; --sizes: 4 is listed twice; give each value once; see learnability run x --help',
    );
    expect(parseSchemaFlags('run x', ['--n', '8,16,32'], specs).values.n).toEqual([8, 16, 32]);
  });

  it('refuses a --set of one path given twice, where the last value would quietly win', () => {
    const specs = { set: { type: 'strings', arg: 'path=value', default: [] as string[], doc: 'overrides' } } as const;
    expect(() =>
      parseSchemaFlags('run x', ['--set', 'trainer.lr=0.1', '--set', 'run.steps=5', '--set', 'trainer.lr=0.2'], specs),
    ).toThrow(
      'run x: --set: trainer.lr is set twice (trainer.lr=0.1, then trainer.lr=0.2); give it once; see learnability run x --help',
    );
    const distinct = ['--set', 'trainer.lr=0.1', '--set', 'trainer.lrs=0.2', '--set', 'looped.trainer.lr=0.3'];
    expect(parseSchemaFlags('run x', distinct, specs).values.set).toHaveLength(3);
  });

  it('refuses a one-value flag given twice, where the last would quietly win', () => {
    const argv = ['--steps', '100', '--docs', '--steps=200', '--docs', '--backend', 'cpu', '--backend', 'wasm', '-h'];
    expect(() => parseSchemaFlags('run x', argv.slice(0, -1), SPECS)).toThrow(
      'run x: --steps: given twice (100, then 200); give it once; --docs: given twice; give it once; --backend: given twice (cpu, then wasm); give it once; see learnability run x --help',
    );
    expect(() => parseSchemaFlags('run x', ['--json', '--json'], SPECS)).toThrow(
      'run x: --json: given twice; give it once',
    );
    expect(parseSchemaFlags('run x', ['-h', '--help'], SPECS).help).toBe(true);
    // Commands that parse their flags without a schema refuse it the same way.
    expect(() => parseFlags('plot', ['r.jsonl', '--out', 'a', '--out=b'], { out: { type: 'string' } }, 1)).toThrow(
      'plot: --out: given twice (a, then b); give it once; see learnability plot --help',
    );
    const set: FlagSpecs[string] = { type: 'strings', default: [], doc: 'overrides' };
    expect(parseSchemaFlags('run x', ['--set', 'a=1', '--set', 'b=2'], { set }).values.set).toEqual(['a=1', 'b=2']);
  });

  it('refuses --threads with a backend that is not wasm (auto may still choose wasm)', () => {
    expect(threadsOffWasm({ threads: 2, backend: 'cpu' })).toEqual([
      "--threads: sets wasm's thread count, but this runs on cpu; drop --threads or use --backend wasm",
    ]);
    expect([
      threadsOffWasm({ threads: 2, backend: 'auto' }),
      threadsOffWasm({ threads: null, backend: 'webgpu' }),
    ]).toEqual([[], []]);
  });

  it('derives the help lines from the specs', () => {
    const help = flagHelp(SPECS).split('\n');
    expect(help).toHaveLength(8);
    expect(help[0]).toBe(`${'  --n a,b,…'.padEnd(22)} input sizes (default 8,16)`);
    expect(help[4]).toBe(`${'  --backend name'.padEnd(22)} backend (cpu | wasm) (default wasm)`);
    expect(help[5]).toBe(`${'  --docs'.padEnd(22)} write docs`);
  });

  it('keeps the doc lines in one column past a long flag', () => {
    const long: FlagSpecs = { 'transformer-steps': { type: 'int', default: 10, min: 1, doc: 'steps' }, ...SPECS };
    // Where each line's doc begins: past the flag, its argument and the padding.
    const docAt = flagHelp(long)
      .split('\n')
      .map((line) => line.length - line.replace(/^ {2}--\S+( \S+)? +/, '').length);
    expect(new Set(docAt).size, flagHelp(long)).toBe(1);
  });
});
