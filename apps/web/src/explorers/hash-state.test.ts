import { describe, expect, it } from 'vitest';
import { explorerHash, parseHash } from './hash-state.js';

describe('explorer hash state', () => {
  it('reads the view and its settings', () => {
    const { view, settings } = parseHash('#inal?target=parity:2&ns=6,8,10&model.widths=128');
    expect(view).toBe('inal');
    expect([...settings]).toEqual([
      ['target', 'parity:2'],
      ['ns', '6,8,10'],
      ['model.widths', '128'],
    ]);
    expect(parseHash('#params')).toEqual({ view: 'params', settings: new URLSearchParams() });
    expect(parseHash('').view).toBe('');
  });

  it('writes only what differs from the defaults, readably, and reads it back', () => {
    const defaults = new Map([
      ['target', 'parity:1'],
      ['ns', '8,16,32'],
      ['seed', '0'],
    ]);
    const hash = explorerHash(
      'inal',
      [
        ['target', 'expr:x[0]&x[1]'],
        ['ns', '6,8,10'],
        ['seed', '0'],
      ],
      defaults,
    );
    expect(hash).toBe('#inal?target=expr:x%5B0%5D%26x%5B1%5D&ns=6,8,10');
    expect([...parseHash(hash).settings]).toEqual([
      ['target', 'expr:x[0]&x[1]'],
      ['ns', '6,8,10'],
    ]);
    expect(explorerHash('inal', [['seed', '0']], defaults)).toBe('#inal');
  });
});
