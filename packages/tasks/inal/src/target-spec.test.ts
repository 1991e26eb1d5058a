import { ConfigError } from '@learnability/core';
import { describe, expect, it } from 'vitest';
import { allBits } from './boolean-target.js';
import { createTarget } from './create-target.js';
import { formatTargetSpec, parseTargetSpec, resolveCount } from './target-spec.js';

const issue = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
  throw new Error('expected a ConfigError');
};

/** The ±1 row with −1 exactly at `negatives`. */
const row = (n: number, negatives: number[]) => Float32Array.from(allBits(n), (i) => (negatives.includes(i) ? -1 : 1));

describe('parseTargetSpec / formatTargetSpec', () => {
  it('round-trips every family', () => {
    for (const text of [
      'parity:2',
      'parity:n/2',
      'parity:[0,3,5]',
      'majority',
      'majority:sqrt(n)',
      'staircase:4',
      'junta:3',
      'and:3',
      'or:log2(n)',
      'threshold:5:2',
      'random:4',
      'expr:x[0]*x[1]',
      'table:0110',
      'parity:n-1',
    ]) {
      expect(formatTargetSpec(parseTargetSpec(text))).toBe(text);
    }
    expect(parseTargetSpec('expr:x[0] < 0 ? 1 : -1')).toEqual({ family: 'expr', source: 'x[0] < 0 ? 1 : -1' });
    expect(parseTargetSpec('threshold:[1,2,3]:2')).toEqual({
      family: 'threshold',
      arity: { indices: [1, 2, 3] },
      t: 2,
    });
  });

  it('rejects bad specs with the grammar in the message', () => {
    expect(issue(() => parseTargetSpec('parity'))).toMatch(
      /^target: missing <k> in "parity"; expected parity:<k>, majority/,
    );
    expect(issue(() => parseTargetSpec('parrity:2'))).toMatch(/unknown family "parrity"/);
    expect(issue(() => parseTargetSpec('parity:2n'))).toMatch(/"2n" is not a valid <k>/);
    expect(issue(() => parseTargetSpec('parity:[1,1]'))).toMatch(/repeats a coordinate/);
    expect(issue(() => parseTargetSpec('table:011'))).toMatch(/2\^k characters 0 or 1/);
    expect(issue(() => parseTargetSpec('threshold:5'))).toMatch(/threshold needs <k>:<t>/);
  });

  it('resolves counts at n', () => {
    expect(['3', 'n', 'n/2', 'n/3', 'n-1', 'sqrt(n)', 'log2(n)'].map((c) => resolveCount(c, 64))).toEqual([
      3, 64, 32, 21, 63, 8, 6,
    ]);
  });
});

describe('createTarget', () => {
  it('parity, AND, OR, threshold and majority on explicit coordinates', () => {
    const n = 8;
    const at = (spec: string, negatives: number[]) => createTarget(spec, { n }).valueAt(row(n, negatives), 0);
    expect([at('parity:[1,4]', []), at('parity:[1,4]', [1]), at('parity:[1,4]', [1, 4, 6])]).toEqual([1, -1, 1]);
    expect([at('and:[0,1,2]', [0, 1]), at('and:[0,1,2]', [0, 1, 2])]).toEqual([1, -1]);
    expect([at('or:[0,1,2]', [5]), at('or:[0,1,2]', [2])]).toEqual([1, -1]);
    expect([at('threshold:[0,1,2,3,4]:2', [0]), at('threshold:[0,1,2,3,4]:2', [0, 4])]).toEqual([1, -1]);
    expect([at('majority:[0,1,2]', [0]), at('majority:[0,1,2]', [0, 2])]).toEqual([1, -1]);
  });

  it('staircase: sign of the prefix-product sum, a tie going to the first bit', () => {
    const n = 6;
    const t = createTarget('staircase:[0,1,2,3]', { n });
    // Prefix products of (x0, x1, x2, x3):
    expect(t.valueAt(row(n, [1]), 0)).toBe(-1); // (+,−,+,+): 1 − 1 − 1 − 1 = −2
    expect(t.valueAt(row(n, [0, 1]), 0)).toBe(1); // (−,−,+,+): −1 + 1 + 1 + 1 = 2
    expect(t.valueAt(row(n, [2]), 0)).toBe(1); // (+,+,−,+): 1 + 1 − 1 − 1 = 0, tie → x0 = +1
    expect(t.valueAt(row(n, [0, 1, 2, 3]), 0)).toBe(-1); // (−,−,−,−): −1 + 1 − 1 + 1 = 0, tie → x0 = −1
    // Odd k never ties: every input of staircase:3 has |sum| ∈ {1, 3}, and f = sign(sum).
    const s3 = createTarget('staircase:[0,1,2]', { n: 3 });
    for (let i = 0; i < 8; i++) {
      const x = row(
        3,
        allBits(3).filter((j) => (i >> j) & 1),
      );
      const sum = (x[0] as number) * (1 + (x[1] as number) * (1 + (x[2] as number)));
      expect(s3.valueAt(x, 0)).toBe(Math.sign(sum));
    }
  });

  it('draws the coordinates from the seed (as the parity task does) and tables by their index bits', () => {
    expect(createTarget('parity:3', { n: 20, seed: 5 }).relevant).toEqual(
      createTarget('junta:3', { n: 20, seed: 5 }).relevant,
    );
    expect(createTarget('parity:3', { n: 20, seed: 5 }).relevant).not.toEqual(
      createTarget('parity:3', { n: 20, seed: 6 }).relevant,
    );
    const xor = createTarget('table:0110', { n: 4 });
    for (const negatives of [[], [0], [1], [0, 1], [0, 1, 3]]) {
      expect(xor.valueAt(row(4, negatives), 0)).toBe(negatives.filter((i) => i < 2).length % 2 === 0 ? 1 : -1);
    }
    const a = createTarget('random:5', { n: 10, seed: 1 });
    const b = createTarget('random:5', { n: 10, seed: 1 });
    expect(
      allBits(32).map((i) =>
        a.valueAt(
          row(
            10,
            allBits(10).filter((j) => (i >> j) & 1),
          ),
          0,
        ),
      ),
    ).toEqual(
      allBits(32).map((i) =>
        b.valueAt(
          row(
            10,
            allBits(10).filter((j) => (i >> j) & 1),
          ),
          0,
        ),
      ),
    );
  });

  it('expr: numbers by their sign, true as −1; errors name the input', () => {
    const n = 5;
    expect(createTarget('expr:x[0]*x[1]', { n }).valueAt(row(n, [1]), 0)).toBe(-1);
    expect(createTarget('expr:x[2] < 0', { n }).valueAt(row(n, [2]), 0)).toBe(-1);
    expect(createTarget('expr:x[2] < 0', { n }).valueAt(row(n, []), 0)).toBe(1);
    expect(createTarget('expr:Math.max(...x) * n', { n }).valueAt(row(n, []), 0)).toBe(1);
    expect(issue(() => createTarget('expr:x[0] +', { n }))).toMatch(/^target: expr "x\[0\] \+" does not compile: /);
    expect(issue(() => createTarget('expr:x[0] + x[1]', { n }))).toMatch(/expr "x\[0\] \+ x\[1\]" gave 0 at x = \[/);
    expect(issue(() => createTarget('expr:x.foo.bar', { n }))).toMatch(
      /^target: expr "x\.foo\.bar" failed at x = \[[-1, ]+\]: Cannot read properties of undefined \(reading 'bar'\); it reads x /,
    );
  });

  it('checks k, t and n against each other', () => {
    expect(issue(() => createTarget('parity:9', { n: 8 }))).toBe('target: parity:9: k = 9 must be in [0, 8] at n = 8');
    expect(issue(() => createTarget('parity:[2,8]', { n: 8 }))).toMatch(/coordinate 8 is outside \[0, 8\)/);
    expect(issue(() => createTarget('majority:4', { n: 8 }))).toMatch(/odd number of bits/);
    expect(issue(() => createTarget('threshold:4:5', { n: 8 }))).toMatch(/t = 5 must be in \[1, k = 4\]/);
    expect(issue(() => createTarget('table:0110100110010110', { n: 3 }))).toMatch(/needs n ≥ 4/);
    expect(issue(() => createTarget('random:21', { n: 30 }))).toMatch(/k must be ≤ 20/);
    expect(createTarget('majority', { n: 8 }).relevant).toHaveLength(7);
  });

  it('checks an object spec as its text, and refuses an option it does not know', () => {
    // Typed out by hand, an object skips nothing the string parser refuses.
    expect(() => createTarget({ family: 'parity', arity: { indices: [1, 1] } }, { n: 4 })).toThrow(
      /"\[1,1\]" repeats a coordinate in "parity:\[1,1\]"/,
    );
    expect(() => createTarget({ family: 'threshold', arity: { count: '3' }, t: 1.5 }, { n: 4 })).toThrow(
      /with an integer t in "threshold:3:1.5"/,
    );
    expect(() => createTarget({ family: 'parity', arity: 2 } as never, { n: 4 })).toThrow(
      'target: expected a spec such as "parity:3", or an object parseTargetSpec returns, but got {"family":"parity","arity":2}',
    );
    // A typo used to leave the seed at 0: another set of relevant coordinates, silently.
    expect(() => createTarget('parity:2', { n: 4, sed: 1 } as never)).toThrow(
      'target: parity:2: unknown option "sed"; did you mean "seed"? known: n, seed',
    );
  });

  it('junta:k is balanced and depends on all of its bits (k = 2: 4 of the 6 balanced tables read one bit)', () => {
    for (let k = 1; k <= 6; k++) {
      for (let seed = 0; seed < (k === 2 ? 20 : 3); seed++) {
        const t = createTarget(`junta:${k}`, { n: k, seed });
        const values = allBits(2 ** k).map((i) =>
          t.valueAt(
            row(
              k,
              allBits(k).filter((j) => (i >> j) & 1),
            ),
            0,
          ),
        );
        expect(
          values.reduce((a, b) => a + b, 0),
          `junta:${k} seed ${seed}: balanced`,
        ).toBe(0);
        // Bit j matters: flipping it changes the value at some input.
        for (let j = 0; j < k; j++)
          expect(
            values.some((v, i) => v !== values[i ^ (1 << j)]),
            `junta:${k} seed ${seed}: bit ${j}`,
          ).toBe(true);
      }
    }
  });
});
