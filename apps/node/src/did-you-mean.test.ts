import { describe, expect, it } from 'vitest';
import { editDistance } from '@learnability/core';
import { closest } from './did-you-mean.js';

describe('did you mean', () => {
  it('edit distance counts insertions, deletions and substitutions', () => {
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('steps', 'step')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('suggests typos and prefixes, nothing for unrelated words', () => {
    const presets = ['sparse-parity', 'parity-elimination', 'noisy-gd-parity'];
    expect(closest('sparse-parit', presets)).toBe('sparse-parity');
    expect(closest('sparse-parrity', presets)).toBe('sparse-parity');
    expect(closest('step', ['steps', 'seed', 'set'])).toBe('steps');
    expect(closest('replica', ['replicas', 'resume'])).toBe('replicas');
    expect(closest('banana', presets)).toBeUndefined();
    // Two edits turn any short word into another: `sweep --set` is no typo of --out.
    expect(closest('set', ['out', 'plot', 'workers'])).toBeUndefined();
    expect(closest('out', ['set', 'seed'])).toBeUndefined();
    expect(closest('set', ['seed', 'sizes'])).toBeUndefined();
    expect(closest('sed', ['seed', 'sizes'])).toBe('seed');
  });
});
