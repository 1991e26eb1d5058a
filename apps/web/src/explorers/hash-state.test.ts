import { describe, expect, it } from 'vitest';
import type { FormField } from './dom.js';
import { applySettings, explorerHash, parseHash } from './hash-state.js';

describe('explorer hash state', () => {
  it('reads the view and its settings', () => {
    const { view, settings } = parseHash('#inal?target=parity:2&ns=6,8,10&model.widths=128');
    expect(view).toBe('inal');
    expect([...settings]).toEqual([
      ['target', 'parity:2'],
      ['ns', '6,8,10'],
      ['model.widths', '128'],
    ]);
    // A plus is a plus, as in the lab's query: lr=1e+3 read as "1e 3".
    expect(parseHash('#align?lr=1e+3').settings.get('lr')).toBe('1e+3');
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

  it("names a link's value that a select does not offer, and keeps the select's own", () => {
    // A select keeps only a value it offers, as the DOM's does.
    const select = (offered: string[], value: string) => {
      let current = value;
      return {
        options: offered.map((v) => ({ value: v })),
        get value() {
          return current;
        },
        set value(v: string) {
          current = offered.includes(v) ? v : '';
        },
        dispatchEvent: () => true,
      };
    };
    const rule = select(['align-zero', 'fa'], 'align-zero');
    const fields = [{ path: 'rule', input: rule }] as unknown as FormField[];
    expect(applySettings(new URLSearchParams('rule=bogus&lr=x'), () => fields)).toBe(
      'rule=bogus is not one of align-zero, fa; the link names "lr", which this explorer does not have; its fields: rule',
    );
    // A name given twice kept its last value: refused, nothing set.
    expect(applySettings(new URLSearchParams('rule=fa&rule=align-zero'), () => fields)).toBe(
      '"rule" is given 2 times in the link; give it once',
    );
    expect(rule.value).toBe('align-zero');
    expect(applySettings(new URLSearchParams('rule=fa'), () => fields)).toBeNull();
    expect(rule.value).toBe('fa');
  });
});
