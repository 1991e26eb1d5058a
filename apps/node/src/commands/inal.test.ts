import { describe, expect, it } from 'vitest';
import { cli, ourStderr } from '../../test/cli.js';

describe('learnability inal', () => {
  it('--json gives one point per n and the log–log slope; a dictator decays like 1/n', () => {
    const r = cli([
      'inal',
      '--target',
      'parity:1',
      '--n',
      '6,8,10',
      '--set',
      'widths=[32]',
      '--inits',
      '8',
      '--backend',
      'wasm',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      target: string;
      model: { name: string; widths: number[] };
      points: { n: number; inal: number; ciLow: number; ciHigh: number; stderr: number; method: string }[];
      slope: number;
      fit: { slope: number; intercept: number; slopeLow: number; slopeHigh: number; ns: number[]; weights: number[] };
    };
    expect(out.target).toBe('parity:1');
    expect(out.model).toMatchObject({ name: 'dense', widths: [32] });
    expect(out.points.map((p) => [p.n, p.method])).toEqual([
      [6, 'exact'],
      [8, 'exact'],
      [10, 'exact'],
    ]);
    for (const p of out.points) expect(p.ciLow <= p.inal && p.inal <= p.ciHigh).toBe(true);
    expect(out.slope).toBeGreaterThan(-1.3);
    expect(out.slope).toBeLessThan(-0.7);
    // The weighted fit: its interval brackets the slope; each used n weighs 1/sd(log INAL)², sd the
    // point's stderr over the fitted line's INAL there (fitInalSlope), normalised.
    expect(out.fit.slopeLow < out.slope && out.slope < out.fit.slopeHigh).toBe(true);
    expect(out.fit.ns).toEqual([6, 8, 10]);
    for (const p of out.points) expect(p.stderr).toBeGreaterThan(0);
    expect(out.fit.weights).toHaveLength(3);
    const raw = out.points.map((p) => (Math.exp(out.fit.intercept + out.slope * Math.log(p.n)) / p.stderr) ** 2);
    const total = raw.reduce((a, b) => a + b, 0);
    out.fit.weights.forEach((w, i) => expect(w).toBeCloseTo((raw[i] as number) / total, 6));
  });

  it('prints a table with the argmax neuron', () => {
    const r = cli([
      'inal',
      '--target',
      'majority',
      '--n',
      '7',
      '--set',
      'widths=[16]',
      '--inits',
      '4',
      '--backend',
      'wasm',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/n\s+method\s+inputs\s+INAL \(pooled\)\s+95% CI\s+argmax neuron/);
    expect(r.stdout).toMatch(/\n\s*7\s+exact\s+128\s+[\d.e-]+\s+\[[^\]]+\]\s+L\d:\d+/);
  });

  it('--help lists every flag with its default and reason from the package schema, or the command its own', () => {
    const r = cli(['inal', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}--n a,b,… +input sizes n, measured in this order \(default 8,16,32\)$/m);
    expect(r.stdout).toMatch(/^ {2}--inits N +initialisations R.*\(default 16: as in the reproductions/m);
    expect(r.stdout).toMatch(
      /^ {2}--samples N +inputs per initialisation when sampled \(default 16384 inputs: a quarter of the full measurement's 65536/m,
    );
    expect(r.stdout).toMatch(/^ {2}--exact-max-bits N +.*\(default 14: 2\^14 = 16,384 inputs/m);
    expect(r.stdout).toMatch(/^ {2}--estimator name +.*\(pooled \| max\) \(default pooled: /m);
  });

  const bad: [string, string[], RegExp][] = [
    [
      "every bad flag at once, in the schema's words",
      [
        'inal',
        '--target',
        'parity:2',
        '--samples',
        '8',
        '--inits',
        'x',
        '--exact-max-bits',
        '25',
        '--estimator',
        'mean',
      ],
      /^error: inal: --inits: expected an integer ≥ 2, but got "x"; --samples: expected an integer ≥ 16, but got 8; --exact-max-bits: expected an integer in \[0, 24\], but got 25; --estimator: expected one of "pooled", "max", but got "mean"; see learnability inal --help$/,
    ],
    ['missing target', ['inal'], /^error: inal: missing --target; e\.g\. learnability inal --target parity:2/],
    [
      'a model that cannot take the target, naming those that can',
      ['inal', '--target', 'parity:2', '--model', 'rnn', '--dry-run'],
      /^error: invalid config: model: model "rnn" needs a sequence task .*; models that take its inputs: dense, rcnn$/,
    ],
    [
      'bad spec',
      ['inal', '--target', 'parity'],
      /^error: invalid config: target: missing <k> in "parity"; expected parity:<k>/,
    ],
    [
      'bad model option',
      ['inal', '--target', 'parity:2', '--set', 'widht=[3]'],
      /^error: invalid config: model\.widht: unknown option "widht"; did you mean "widths"\?/,
    ],
    [
      // Checked at every n before the first is measured (n = 16 was measured, then thrown away).
      'a target that does not fit a later n',
      ['inal', '--target', 'parity:[0,9]', '--n', '16,4', '--inits', '2', '--set', 'widths=[4]'],
      /^error: invalid config: target: parity:\[0,9\]: coordinate 9 is outside \[0, 4\)$/,
    ],
    [
      // Estimated as a run's memory is, before anything is allocated: the dry run says it too.
      'a model whose initialisations cannot fit wasm, dry run',
      ['inal', '--target', 'parity:2', '--n', '8,64', '--set', 'widths=[2000000]', '--backend', 'wasm', '--dry-run'],
      /^error: invalid config: --set widths: the parameters need ≈ 7\.9 GiB \(16 × 132,000,001 × 4 B\); wasm holds at most 4 GiB.*: lower --set widths or --inits$/,
    ],
    [
      'unknown model',
      ['inal', '--target', 'parity:2', '--model', 'mlp'],
      /^error: inal: --model: "mlp" is neither a model \(dense/,
    ],
  ];
  for (const [title, args, message] of bad) {
    it(`${title}: one line, exit 2`, () => {
      const r = cli(args);
      expect(r.code).toBe(2);
      const lines = ourStderr(r.stderr);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      expect(r.stdout).toBe('');
    });
  }
});
