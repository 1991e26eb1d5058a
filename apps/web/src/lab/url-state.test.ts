import { describe, expect, it } from 'vitest';
import { getPreset } from '@learnability/presets';
import { decodeConfig, encodeConfig, labQuery, overridesFrom, parseLabQuery } from './url-state.js';
import type { LabState } from './url-state.js';

const preset = (name: string) => structuredClone(getPreset(name).config);

function parsed(search: string): LabState {
  const r = parseLabQuery(search);
  if (!r.ok) throw new Error(`expected ${search} to parse, got: ${r.error}`);
  return r.state;
}

function errorOf(search: string): string {
  const r = parseLabQuery(search);
  if (r.ok) throw new Error(`expected ${search} to be rejected`);
  return r.error;
}

describe('parseLabQuery', () => {
  it('opens the sparse-parity preset on a bare URL, with the backend left to the lab', () => {
    expect(parsed('')).toEqual({ preset: 'sparse-parity', config: preset('sparse-parity'), backend: null });
  });

  it('applies set= like the CLI --set (JSON values, else strings) and reads the backend', () => {
    const s = parsed(
      '?preset=sparse-parity&set=task.n=30&set=model.widths=[64,64]&set=model.activation=tanh&backend=wasm',
    );
    expect(s.preset).toBe('sparse-parity');
    expect(s.backend).toBe('wasm');
    expect(s.config).toMatchObject({
      task: { name: 'sparse-parity', n: 30, k: 3 },
      model: { widths: [64, 64], activation: 'tanh' },
    });
  });

  it('reads backend=auto as the lab picking, and a literal + in a set value as +, not a space', () => {
    expect(parsed('?backend=auto').backend).toBeNull();
    expect(parsed('?set=trainer.lr=1e+3&set=trainer.loss=mse').config).toMatchObject({
      trainer: { lr: 1000, loss: 'mse' },
    });
  });

  it('reads a base64url config and takes its backend key into the backend picker', () => {
    const config = {
      task: { name: 'sparse-parity', n: 12, k: 2 },
      backend: 'cpu',
      learners: [{ name: 'gf2-elimination' }],
    };
    const s = parsed(`?config=${encodeConfig(config)}`);
    expect(s).toEqual({ preset: null, config: { task: config.task, learners: config.learners }, backend: 'cpu' });
  });

  it('expands "extends" inside an encoded config', () => {
    const s = parsed(`?config=${encodeConfig({ extends: 'sparse-parity', run: { steps: 7 } })}`);
    expect(s.config).toEqual({
      ...preset('sparse-parity'),
      run: { ...(preset('sparse-parity')['run'] as object), steps: 7 },
    });
  });

  it.each([
    ['?presett=sparse-parity', 'unknown URL parameter "presett"; expected preset, config, set, backend'],
    ['?preset=nope', 'bad URL: unknown preset "nope"'],
    ['?set=task.n', 'bad URL: --set: expected path=value like trainer.lr=0.05, but got "task.n"'],
    ['?backend=tpu', 'URL parameter "backend" must be auto or one of webgpu, wasm, cpu, but got "tpu"'],
    // In the config, it was dropped without a word and the lab picked one.
    ['?set=backend=tpu', 'the config\'s "backend" must be auto or one of webgpu, wasm, cpu, but got "tpu"'],
    ['?config=%%%', 'URL parameter "config" is not a base64url-encoded JSON config'],
    [`?config=${encodeConfig({ a: 1 }).slice(0, 3)}`, 'URL parameter "config" is not a base64url-encoded JSON config'],
    ['?preset=sparse-parity&config=e30', 'give the URL parameter "preset" or "config", not both'],
    ['?preset=a&preset=b', 'URL parameter "preset" is given 2 times; give it once'],
  ])('rejects %s with one line', (search, start) => {
    const error = errorOf(search);
    expect(error.startsWith(start)).toBe(true);
    expect(error).not.toContain('\n');
  });

  it('leaves config validation to the editor: a bad value parses, the schema reports it later', () => {
    expect(parsed('?set=task.n=-3').config).toMatchObject({ task: { n: -3 } });
  });
});

describe('labQuery', () => {
  it('writes preset edits as readable set= assignments that parse back to the same state', () => {
    const state: LabState = { preset: 'sparse-parity', config: preset('sparse-parity'), backend: 'webgpu' };
    (state.config['task'] as Record<string, unknown>)['n'] = 30;
    (state.config['model'] as Record<string, unknown>)['widths'] = [128, 64];
    const query = labQuery(state);
    expect(query).toBe('?preset=sparse-parity&set=task.n=30&set=model.widths=[128,64]&backend=webgpu');
    expect(parsed(query)).toEqual(state);
  });

  it('quotes a string that would read as another JSON value, so it stays a string', () => {
    const state: LabState = { preset: 'sparse-parity', config: preset('sparse-parity'), backend: null };
    (state.config['task'] as Record<string, unknown>)['n'] = '30';
    expect(parsed(labQuery(state)).config).toMatchObject({ task: { n: '30' } });
    // A list typed half-way in its field (the link is rewritten at each key) reloads as that text.
    (state.config['model'] as Record<string, unknown>)['widths'] = '[51';
    expect(parsed(labQuery(state)).config).toMatchObject({ model: { widths: '[51' } });
  });

  it('falls back to an encoded config when set= cannot express the edit', () => {
    const removed = preset('sparse-parity');
    delete removed['learners'];
    const indexed = preset('sparse-parity');
    indexed['learners'] = [{ name: 'something-else' }];
    // Edits that set= would read back as another config, or refuse: a description (--set refuses
    // it), a misspelt top-level key, a rename whose new part keeps options the old one had.
    const described = { ...preset('sparse-parity'), description: 'my run' };
    const misspelt = { ...preset('sparse-parity'), trainr: { lr: 0.5 } };
    const renamed = preset('sparse-parity');
    (renamed['model'] as Record<string, unknown>)['name'] = 'rcnn';
    for (const config of [removed, indexed, described, misspelt, renamed]) {
      const query = labQuery({ preset: 'sparse-parity', config, backend: null });
      expect(query.startsWith('?config=')).toBe(true);
      expect(parsed(query)).toEqual({ preset: null, config, backend: null });
    }
  });

  it('round-trips a custom config with non-ASCII text', () => {
    const config = { task: { name: 'sparse-parity', n: 8, k: 2 }, description: 'θ − θ₀ “quoted”' };
    expect(decodeConfig(encodeConfig(config))).toEqual(config);
    expect(parsed(labQuery({ preset: null, config, backend: 'wasm' }))).toEqual({
      preset: null,
      config,
      backend: 'wasm',
    });
  });
});

describe('overridesFrom', () => {
  it('is empty for an unchanged preset and lists changed and added leaves', () => {
    const base = preset('sparse-parity');
    expect(overridesFrom(base, base)).toEqual([]);
    const edited = structuredClone(base);
    (edited['trainer'] as Record<string, unknown>)['lr'] = 0.3;
    (edited['run'] as Record<string, unknown>)['stopWhenLearned'] = false;
    expect(overridesFrom(base, edited)).toEqual(['trainer.lr=0.3', 'run.stopWhenLearned=false']);
  });
});
