import { describe, expect, it } from 'vitest';
import { getPreset } from '@learnability/presets';
import { checkConfig, parseEditorText, placeIssues } from './config-errors.js';
import { configFields, setAtPath } from './config-paths.js';

const sparseParity = () => structuredClone(getPreset('sparse-parity').config);

describe('placeIssues', () => {
  it('puts each schema error next to its field and whole-config ones under the editor', () => {
    let raw = sparseParity();
    raw = setAtPath(raw, 'task.n', 'abc');
    raw = setAtPath(raw, 'task.foo', 1);
    raw = setAtPath(raw, 'model.widths', [0]);
    delete raw['model'];
    raw = setAtPath(raw, 'learners[0].name', 'nope');
    const checked = checkConfig(raw);
    if (checked.ok) throw new Error('expected the config to be invalid');
    const placed = placeIssues(
      checked.issues,
      configFields(raw).map((f) => f.path),
    );
    expect(placed.byField.get('task.n')?.[0]).toMatch(/^expected an integer in \[1, \d+\], but got "abc"$/);
    expect(placed.byField.get('task.foo')?.[0]).toMatch(/^unknown option "foo"/);
    expect(placed.byField.get('learners[0].name')?.[0]).toMatch(/nope/);
    // The model is gone while the trainer stays: no field can show that.
    expect(placed.general.some((m) => m.startsWith('model'))).toBe(true);
    expect(placed.byField.has('model.widths')).toBe(false);
  });

  it('shows the three errors of the CLI test, the cross-field one (heads ∤ embedSize) on the heads field', () => {
    const raw = {
      task: { name: 'linear-regression', dims: 0 },
      model: { name: 'looped-transformer', embedSize: 100, heads: 3 },
      trainer: { name: 'looped-adam', lr: -1 },
    };
    const checked = checkConfig(raw);
    if (checked.ok) throw new Error('expected the config to be invalid');
    // The same `path: message` lines `learnability run` prints (apps/node/src/cli.test.ts).
    expect(checked.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'task.dims: expected an integer ≥ 1, but got 0',
      'model.heads: heads (3) must divide embedSize (100)',
      'trainer.lr: expected a number > 0, but got -1',
    ]);
    const placed = placeIssues(
      checked.issues,
      configFields(raw).map((f) => f.path),
    );
    expect(placed.byField.get('model.heads')).toEqual(['heads (3) must divide embedSize (100)']);
    expect([placed.byField.get('task.dims'), placed.byField.get('trainer.lr'), placed.general]).toEqual([
      ['expected an integer ≥ 1, but got 0'],
      ['expected a number > 0, but got -1'],
      [],
    ]);
  });

  it('falls back to the closest enclosing field, naming the inner path', () => {
    const placed = placeIssues(
      [
        { path: 'model.widths[1]', message: 'must be ≥ 1' },
        { path: '', message: 'a config must be a JSON object' },
      ],
      ['model.widths', 'model.name'],
    );
    expect(placed.byField.get('model.widths')).toEqual(['model.widths[1]: must be ≥ 1']);
    expect(placed.general).toEqual(['a config must be a JSON object']);
  });

  it('reports nothing for a valid config', () => {
    const checked = checkConfig(sparseParity());
    expect(checked.ok).toBe(true);
  });
});

describe('parseEditorText', () => {
  it('gives one line for a syntax error and for a non-object', () => {
    const bad = parseEditorText('{"task": ');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatch(/^the config is not valid JSON \(.+\)$/);
    const list = parseEditorText('[1]');
    expect(list).toEqual({
      ok: false,
      error: 'the config must be a JSON object like {"task": {"name": "sparse-parity"}}, but got [1]',
    });
    expect(parseEditorText('{"task": {"name": "sparse-parity"}}')).toEqual({
      ok: true,
      raw: { task: { name: 'sparse-parity' } },
    });
  });

  it('takes a CLI config file that starts from a preset ("extends"), as learnability run does', () => {
    const extended = parseEditorText('{"extends": "sparse-parity", "task": {"n": 30}}');
    if (!extended.ok) throw new Error(extended.error);
    expect(checkConfig(extended.raw)).toMatchObject({ ok: true, config: { task: { name: 'sparse-parity', n: 30 } } });
    const unknown = parseEditorText('{"extends": "sparse-parit"}');
    expect(unknown.ok).toBe(false);
  });
});
