import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRecord } from '@learnability/experiment';
import { validateConfig } from '@learnability/presets';
import { describe, expect, it } from 'vitest';
import { CLI_ARGS, ROOT, cli, cliKilledWhen, cliSignalledWhen, ourStderr } from '../test/cli.js';

const out = mkdtempSync(join(tmpdir(), 'learnability-cli-'));
const notJson = join(out, 'not-json.json');
writeFileSync(notJson, 'not json {\n  "a": 1\n');
const runConfig = join(out, 'run-config.json');
writeFileSync(runConfig, JSON.stringify({ extends: 'sparse-parity', run: { steps: 10 } }));
const sweepSpec = join(out, 'sweep-spec.json');
writeFileSync(sweepSpec, JSON.stringify({ name: 's', base: 'sparse-parity', axes: { 'task.n': [10, 20] } }));
// A run's record that ended at step 0: a start line and an end line, no eval.
const endedEarly = join(out, 'ended-early.jsonl');
const startLine = {
  type: 'start',
  runId: 'e',
  config: { model: { name: 'dense' } },
  backend: 'cpu',
  replicas: 1,
  paramCount: 1,
  totalSteps: 0,
};
const endLine = { type: 'end', summary: { status: 'completed', steps: 0, replicas: [] } };
writeFileSync(
  endedEarly,
  `${JSON.stringify({ ...startLine, startStep: 0, versions: {} })}\n${JSON.stringify(endLine)}\n`,
);

describe('learnability backends', () => {
  it('--json lists cpu and wasm available, and webgpu with its adapter when a driver is present', () => {
    const r = cli(['backends', '--json']);
    expect(r.code).toBe(0);
    const { backends } = JSON.parse(r.stdout) as {
      backends: { name: string; available: boolean; reason?: string; adapter?: unknown }[];
    };
    expect(backends.map((b) => b.name)).toEqual(['cpu', 'wasm', 'webgpu']);
    expect(backends.filter((b) => b.available).map((b) => b.name)).toEqual(expect.arrayContaining(['cpu', 'wasm']));
    const webgpu = backends.find((b) => b.name === 'webgpu');
    if (process.env.LEARNABILITY_REQUIRE_WEBGPU === '1') expect(webgpu?.available, webgpu?.reason).toBe(true);
    if (webgpu?.available) expect(webgpu.adapter).toBeDefined();
    else expect(webgpu?.reason).toMatch(/use --backend wasm|install/);
  });
});

describe('two runs of one preset and seed started together', () => {
  // Whether the two take the same second's id depends on their start-up; unique-run-id.test.ts
  // checks the reservation itself.
  it('each take a whole record of their own', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'learnability-twins-'));
    const argv = ['run', 'sparse-parity', '--backend', 'cpu', '--steps', '20', '--set', 'task.n=8', '--out', dir];
    const one = () =>
      new Promise<number | null>((resolve) =>
        spawn(process.execPath, [...CLI_ARGS, ...argv], { cwd: ROOT, stdio: 'ignore' }).on('exit', resolve),
      );
    expect(await Promise.all([one(), one()])).toEqual([0, 0]);
    const records = readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
    expect(records).toHaveLength(2);
    for (const file of records) {
      const types = readFileSync(join(dir, file), 'utf8')
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { type: string }).type);
      expect(
        types.filter((t) => t === 'start'),
        file,
      ).toHaveLength(1);
      expect(types.at(-1), file).toBe('end');
    }
  });
});

describe('bad input gets one line and exit code 2', () => {
  const cases: [string, string[], RegExp][] = [
    ['unknown command', ['trian'], /^error: unknown command "trian"; commands: run, presets/],
    // Object's own names are no commands: `constructor` found Object and crashed.
    ['a name Object has', ['constructor'], /^error: unknown command "constructor"; commands: run, presets/],
    [
      'a flag before the command',
      ['--json', 'presets'],
      /^error: flags go after the command: learnability presets --json$/,
    ],
    [
      'unknown flag, with a did you mean',
      ['run', 'sparse-parity', '--step', '3'],
      /^error: run: unknown flag --step \(did you mean --steps\?\); see learnability run --help$/,
    ],
    [
      'unknown flag, another',
      ['run', 'sparse-parity', '--replica', '3'],
      /^error: run: unknown flag --replica \(did you mean --replicas\?\); see learnability run --help$/,
    ],
    [
      'negative number',
      ['run', 'sparse-parity', '--steps', '-3'],
      /^error: invalid config: run\.steps: expected an integer in \[0, 1099511627776\], but got -3$/,
    ],
    [
      'flag without its value, last',
      ['run', 'sparse-parity', '--backend'],
      /^error: run: --backend needs a value; see learnability run --help$/,
    ],
    [
      'flag without its value, before another flag',
      ['run', 'sparse-parity', '--backend', '--steps', '3'],
      /^error: run: --backend needs a value, but the next argument is the flag "--steps"; see learnability run --help$/,
    ],
    [
      '--resume of a missing file',
      ['run', '--resume', 'missing.jsonl'],
      /^error: run: --resume "missing.jsonl" does not exist; pass the .jsonl path a run printed/,
    ],
    [
      '--resume of a missing file, with a preset too',
      ['run', 'sparse-parity', '--resume', 'missing.jsonl'],
      /^error: run: --resume "missing.jsonl" does not exist/,
    ],
    [
      'plot of a missing file',
      ['plot', 'missing.jsonl', '--out', 'x.svg'],
      /^error: plot: record "missing.jsonl" does not exist/,
    ],
    [
      'bad flag value',
      ['run', 'sparse-parity', '--seed', 'x'],
      /^error: invalid config: run\.seed: expected an integer in \[0, 2147483648\], but got "x"$/,
    ],
    [
      'unknown preset',
      ['run', 'sparse-parrity'],
      /^error: run: unknown preset "sparse-parrity"; did you mean "sparse-parity"\? known presets: sparse-parity/,
    ],
    [
      'a preset or experiment named as a method every object has',
      ['run', 'constructor'],
      /^error: run: unknown preset "constructor"; known presets: sparse-parity/,
    ],
    [
      'a named experiment told --docs beside both --figures and --table (it wrote nothing into docs/)',
      ['run', 'inal-learnability', '--docs', '--figures', 'fx', '--table', 'tx.md', '--dry-run'],
      /^error: run inal-learnability: --docs: --figures and --table both say where the outputs go, so it would write nothing into docs\/; drop --docs, or one of them; see/,
    ],
    [
      'inal: one model option set with and without its model. prefix (the last won without a word)',
      ['inal', '--target', 'parity:2', '--n', '4', '--set', 'widths=[16]', '--set', 'model.widths=[32]', '--dry-run'],
      /^error: inal: --set: widths=\[16\] and model\.widths=\[32\] set one option, model\.widths; give it once$/,
    ],
    [
      'a named experiment after a flag (read as a preset it was not, and its flags as unknown)',
      ['run', '--dry-run', 'looped-vs-standard', '--workers', '2'],
      /^error: run: looped-vs-standard is a named experiment, which owns the flags after it; put its name first: learnability run looped-vs-standard --dry-run --workers 2$/,
    ],
    [
      'a benchmark named as a method every object has',
      ['bench', 'toString'],
      /^error: bench: unknown benchmark "toString"; one of backends, /,
    ],
    ...[
      ['run', 'sparse-parity', '--resume', ''],
      ['sweep', 'x.json', '--out', ''],
      ['inal', '--target', 'parity:2', '--model', ''],
    ].map((args): [string, string[], RegExp] => {
      const [command, flag] = [args[0], args[args.length - 2]];
      const refused = `^error: ${command}: ${flag}: expected a value, but got ""; leave the flag out for the default`;
      return [`${command} ${flag} ""`, args, new RegExp(refused)];
    }),
    [
      'a flag beside a --set of its path, which it would override',
      ['run', 'sparse-parity', '--set', 'run.steps=10', '--steps', '20'],
      /^error: invalid config: --steps: given with --set run\.steps=10, which it would override; give one of them$/,
    ],
    [
      'a flag beside a --set of the object holding its path',
      ['run', 'sparse-parity', '--set', 'run={"seed":1}', '--seed', '2'],
      /^error: invalid config: --seed: given with --set run=\{"seed":1\}, which it would override; give one of them$/,
    ],
    [
      'unknown preset, cut short',
      ['run', 'sparse-parit'],
      /^error: run: unknown preset "sparse-parit"; did you mean "sparse-parity"\? known presets: sparse-parity/,
    ],
    [
      'every config problem at once',
      ['run', 'sparse-parity', '--set', 'trainer.lr=-1', '--set', 'model.widht=[3]', '--backend', 'tpu'],
      /^error: invalid config: model\.widht: unknown option "widht"; did you mean "widths"\?.*; trainer\.lr: expected a number > 0, but got -1; backend: expected one of "auto", "cpu", "wasm", "webgpu", but got "tpu"$/,
    ],
    ['missing file', ['run', 'nope/missing.json'], /^error: run: config file "nope\/missing.json" does not exist/],
    [
      'a sweep spec given to run: which command it is for, not every key unknown',
      ['run', sweepSpec, '--dry-run'],
      /^error: run: config file ".*sweep-spec\.json" is a sweep spec \(it has "axes"\), not a run config: run it with learnability sweep .*sweep-spec\.json$/,
    ],
    [
      'a run config given to sweep',
      ['sweep', runConfig, '--dry-run'],
      /^error: sweep: ".*run-config\.json" is a run config, not a sweep spec \(it has no "axes"\): train it with learnability run .*run-config\.json, or make it a spec's base: /,
    ],
    [
      'a preset given to sweep',
      ['sweep', 'sparse-parity'],
      /^error: sweep: spec file "sparse-parity" does not exist.*; "sparse-parity" is a preset: learnability run sparse-parity trains it, and a spec names it as its base/,
    ],
    [
      'a config that is not JSON, with line breaks in the quoted text: still one line',
      ['run', notJson, '--dry-run'],
      /^error: run: config file ".*not-json\.json" is not valid JSON \(Unexpected token .*"not json \{ "a": 1 " is not valid JSON\)$/,
    ],
    [
      'an --out that is a file',
      ['run', 'sparse-parity', '--out', notJson],
      /^error: run: --out: .*not-json\.json is a file, not a directory; pass a directory$/,
    ],
    [
      "a named experiment's --figures that is a file: refused before any run trains",
      ['run', 'inal-learnability', '--n', '8', '--out', join(out, 'inal'), '--figures', notJson],
      /^error: run inal-learnability: --figures: .*not-json\.json is a file, not a directory; pass a directory$/,
    ],
    [
      "a named experiment's --table that is a directory",
      ['run', 'rcnn-vs-elimination', '--sizes', '4', '--out', join(out, 'rcnn'), '--table', out],
      /^error: run rcnn-vs-elimination: --table: .* is a directory; pass a file path$/,
    ],
    ['plot without --out', ['plot', 'x.jsonl'], /^error: plot: --out must name a .svg or .png file, but got nothing$/],
    [
      'plot of a finished run with no evaluation: not "yet"',
      ['plot', endedEarly, '--out', join(out, 'ended.svg')],
      /^error: plot: .*ended-early\.jsonl has no eval lines: its run ended at step 0, before any evaluation; nothing to draw$/,
    ],
    [
      'a size past what one process can allocate: bad input in one line, not a raw RangeError',
      ['bench', 'elimination', '--sizes', '10000000', '--repeats', '1', '--no-references'],
      /^error: bench: the sizes asked for need more memory than one process can allocate \(Invalid typed array length: \d+\); lower the benchmark's sizes \(learnability bench elimination --help lists them\)$/,
    ],
    [
      "a task.n whose elimination basis cannot be allocated, by a dry run too: the paths to lower, not 'them'",
      ['run', 'sparse-parity', '--set', 'task.n=1048576', '--dry-run'],
      /^error: run: the sizes asked for need more memory than one process can allocate \(Invalid typed array length: \d+\); lower task\.n, model\.widths, run\.replicas, run\.batchSize or run\.testSize$/,
    ],

    [
      'a benchmark name one letter short',
      ['bench', 'backend'],
      /^error: bench: unknown benchmark "backend"; did you mean "backends"\? one of backends, /,
    ],
  ];
  for (const [title, args, message] of cases) {
    it(title, () => {
      const r = cli(args);
      expect(r.code).toBe(2);
      const lines = ourStderr(r.stderr);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      expect(r.stdout).toBe('');
    });
  }

  it("a width past this machine's memory, before inal measures anything: one error naming the sizes to lower", () => {
    const r = cli(['inal', '--target', 'parity:3', '--n', '16', '--set', 'widths=[100000000]', '--backend', 'cpu']);
    expect(r.code).toBe(2);
    expect(ourStderr(r.stderr)).toEqual([
      expect.stringMatching(
        /^error: invalid config: --set widths: one chunk's activations need ≈ 286 GiB \(16 × 16 inputs × \(3 × 100,000,000 \+ 1\) × 4 B\); this machine has [\d.]+ GiB of memory: lower --set widths or --inits$/,
      ),
    ]);
    expect(r.stdout).toBe('');
  });

  it('a config with three errors, one cross-field, gets the lines validateConfig gives (the lab shows the same)', () => {
    const raw = {
      task: { name: 'linear-regression', dims: 0 },
      model: { name: 'looped-transformer', embedSize: 100, heads: 3 },
      trainer: { name: 'looped-adam', lr: -1 },
    };
    const file = join(out, 'three-errors.json');
    writeFileSync(file, JSON.stringify(raw));
    const r = cli(['run', file]);
    expect(r.code).toBe(2);
    expect(ourStderr(r.stderr)).toEqual([
      'error: invalid config: task.dims: expected an integer ≥ 1, but got 0; model.heads: heads (3) must divide embedSize (100); trainer.lr: expected a number > 0, but got -1',
    ]);
    expect(() => validateConfig(raw)).toThrow(ourStderr(r.stderr)[0]?.replace('error: invalid config: ', ''));
  });

  it('plot of a JSON file that is not a run record says so', () => {
    const file = join(out, 'not-a-record.json');
    writeFileSync(file, '{"a":1}\n');
    const r = cli(['plot', file, '--out', join(out, 'x.svg')]);
    expect(r.code).toBe(2);
    expect(ourStderr(r.stderr)).toEqual([
      `error: plot: record "${file}" is not a learnability run record (line 1 is not a "start" event)`,
    ]);
  });

  it('--help documents the exit codes; --version prints the version', () => {
    const help = cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit codes: 0 done; 1 a runtime failure .*\n2 a usage or input error/);
    const v = cli(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^learnability \d+\.\d+\.\d+ \(tfjs-core 4\.22\.\d+, node \d+\.\d+\.\d+\)$/);
    // With --json, as every command: one object of versions.
    const json = cli(['--version', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ '@learnability/cli': expect.any(String), 'tfjs-core': '4.22.0' });
    // `help <command>` is the command's own --help (it printed the top-level help).
    const presets = cli(['help', 'presets']);
    expect([presets.code, presets.stdout.split('\n')[0]]).toEqual([0, 'learnability presets [<preset>] [--json]']);
    // A subcommand's help, not the group's; --version refuses what it would ignore.
    expect(cli(['help', 'bench', 'gpu']).stdout.split('\n')[0]).toBe('learnability bench gpu [options] [--json]');
    const extra = cli(['-v', 'extra']);
    expect([extra.code, extra.stderr.trim()]).toEqual([2, 'error: -v takes only --json, but got "extra"']);
  });

  it('a config file that is not JSON names the file and the parse error', () => {
    const file = join(out, 'broken.json');
    writeFileSync(file, '{"task": ');
    const r = cli(['run', file]);
    expect(r.code).toBe(2);
    expect(ourStderr(r.stderr)[0]).toMatch(/^error: run: config file ".*broken.json" is not valid JSON \(/);
  });
});

describe('learnability run', () => {
  /** A small sparse-parity run at n input bits (a --set path is given once: twice is refused). */
  const smallAt = (n: number) => [
    '--set',
    `task.n=${n}`,
    '--set',
    'model.widths=[64]',
    '--set',
    'run.evalEvery=50',
    '--set',
    'run.testSize=500',
    '--backend',
    'wasm',
    '--out',
    out,
  ];
  const small = smallAt(12);

  it('--json prints one summary object; the record has a start, evals and an end; wasm threads are chosen by timing the run’s step', () => {
    const r = cli(['run', 'sparse-parity', ...small, '--replicas', '2', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as {
      preset: string;
      backend: string;
      learnedAtStep: number | null;
      replicas: { learnedAtStep: number | null }[];
      record: string;
      testAccuracy: number;
      learners: { name: string; learnedAtSample: number }[];
    };
    expect(summary.preset).toBe('sparse-parity');
    expect(summary.backend).toBe('wasm');
    expect(summary.replicas).toHaveLength(2);
    expect(summary.replicas.every((x) => x.learnedAtStep !== null)).toBe(true);
    expect(summary.testAccuracy).toBeGreaterThanOrEqual(0.99);
    expect(summary.learners[0]?.name).toBe('gf2-elimination');
    const record = parseRecord(readFileSync(summary.record, 'utf8'));
    expect(record.end?.summary.status).toBe('completed');
    expect(record.evals.length).toBeGreaterThan(0);
    expect(record.evals[0]?.measures.subsetWeightShare).toHaveLength(2);
    // Log lines go to stderr in --json mode, in the fixed format.
    expect(r.stderr).toMatch(/step 50: loss [\d.e-]+, train acc [\d.]+, test acc [\d.]+, [\d.]+ ms\/step/);
    // No --threads: the start line names the count and the timings it was chosen from.
    const chosen =
      /on wasm \((\d+) threads?, the fastest of 1 → [\d.e+]+ ms\/step, \d+ → [\d.e+]+ ms\/step[^)]*\)|on wasm \(1 thread \(1 core\)\)/.exec(
        r.stderr,
      );
    expect(chosen, r.stderr).not.toBeNull();
    expect((summary as { threads?: number }).threads).toBe(Number(chosen?.[1] ?? 1));

    const png = join(out, 'fig.png');
    const p = cli(['plot', summary.record, '--out', png]);
    expect(p.code, p.stderr).toBe(0);
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
    const svg = join(out, 'fig.svg');
    expect(cli(['plot', summary.record, '--out', svg]).code).toBe(0);
    expect(readFileSync(svg, 'utf8')).toMatch(/^<svg/);
  });

  it('a regression run ends with a verdict on its test MSE, not on an accuracy', () => {
    const r = cli([
      'run',
      'standard-linear-regression-small',
      '--steps',
      '2',
      '--set',
      'run.evalEvery=1',
      '--set',
      'run.testSize=8',
      '--set',
      'run.batchSize=4',
      '--backend',
      'wasm',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^completed: 2 steps in [\d.]+ s; final test MSE [\d.]+ \(regression: judged by test MSE; learned-at-step and run.learnedThreshold apply to accuracy tasks only\)$/m,
    );
    expect(r.stdout).not.toMatch(/test accuracy ≥/);
  });

  it('a classification run that diverges is still judged by accuracy, not called a regression', () => {
    const tiny = ['--set', 'model.widths=[16]', '--set', 'run.evalEvery=20', '--set', 'trainer.lr=1000000'];
    const r = cli(['run', 'sparse-parity', '--steps', '40', ...tiny, '--backend', 'cpu', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^step 20: loss —, train acc [\d.]+, test acc —, /m);
    expect(r.stdout).toMatch(/^diverged: 0\/4 replicas reached test accuracy ≥ 0.99 in 20 steps/m);
    expect(r.stdout).not.toMatch(/test mse|regression/i);
  });

  it('a named experiment writes under --out and leaves docs/ alone without --docs', () => {
    const dest = join(out, 'align');
    const docsBefore = execFileSync('git', ['status', '--porcelain', '--', 'docs'], { cwd: ROOT, encoding: 'utf8' });
    const tiny = ['--settings', 'add', '--add-widths', '4', '--add-steps', '1', '--rules', 'fa', '--threads', '1'];
    const r = cli(['run', 'align-width-sweep', ...tiny, '--out', dest]);
    expect(r.code, r.stderr).toBe(0);
    for (const f of [
      'align-width-performance.svg',
      'align-width-alignment.png',
      'align-width-sweep.json',
      'align-width-sweep-table.md',
    ])
      expect(existsSync(join(dest, f)), f).toBe(true);
    expect(execFileSync('git', ['status', '--porcelain', '--', 'docs'], { cwd: ROOT, encoding: 'utf8' })).toBe(
      docsBefore,
    );
  });

  it('noisy labels: GF(2) elimination is not learned, with its inconsistent samples, in the summary line and in --json', () => {
    // n = 20: at n = 12 the first 12 rows of this seed are all clean (chance 0.9¹² ≈ 0.28) and elimination rightly learns.
    const r = cli(['run', 'sparse-parity', ...smallAt(20), '--set', 'task.noise=0.1', '--replicas', '1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as {
      learners: {
        name: string;
        learnedAtSample: number | null;
        testAccuracy: number;
        reason?: string;
        counts?: Record<string, number>;
      }[];
    };
    const gf2 = summary.learners[0];
    expect(gf2?.learnedAtSample).toBeNull();
    expect(gf2?.reason).toBe('the samples are inconsistent (label noise?)');
    expect(gf2?.counts?.inconsistentSamples).toBeGreaterThan(0);
    expect(gf2?.testAccuracy).toBeLessThan(0.6);
    expect(r.stderr).toMatch(
      /samples to learn: .*gf2-elimination not learned: the samples are inconsistent \(label noise\?\) \(test acc 0\.\d+ after [\d,]+ samples, [\d,]+ inconsistent samples\)/,
    );
  });

  it('Ctrl-C stops a run at its next evaluation, with its end line, and says how to continue it', async () => {
    const args = ['run', 'sparse-parity', ...small, '--set', 'run.stopWhenLearned=false', '--steps', '100000'];
    const r = await cliSignalledWhen(
      [...args, '--replicas', '1', '--threads', '1'],
      (s) => /step 100:/.test(s),
      'SIGINT',
    );
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/^SIGINT: stopping at the next evaluation, checkpointed \(SIGINT again quits at once\)$/m);
    const record = /^continue it with: learnability run --resume (\S+)$/m.exec(r.stdout)?.[1] ?? '';
    const stopped = parseRecord(readFileSync(record, 'utf8'));
    expect(stopped.end?.summary.status).toBe('stopped');
    expect(stopped.end?.summary.steps).toBe(stopped.evals.at(-1)?.step);
    expect(existsSync(record.replace(/\.jsonl$/, '.ckpt'))).toBe(true);
  });

  it('a run whose stdout reader ends (| head) stops as at Ctrl-C, checkpointed, with exit code 141', async () => {
    const args = ['run', 'sparse-parity', ...small, '--set', 'run.stopWhenLearned=false', '--steps', '100000'];
    const r = await cliSignalledWhen(
      [...args, '--replicas', '1', '--threads', '1'],
      (s) => /step 100:/.test(s),
      'close stdout',
    );
    // It exited 0 wherever the next write fell: between an evaluation's line and its checkpoint too.
    expect(r.code, r.stderr).toBe(141);
    // No stack trace; where the run is and how to go on, on stderr (stdout is gone).
    const said = ourStderr(r.stderr);
    expect(said[0]).toBe('run: stdout was closed (its reader ended): stopping at the next evaluation, checkpointed');
    const file = /^record: (\S+)$/.exec(said[1] ?? '')?.[1] ?? '';
    expect(said.slice(2)).toEqual([`continue it with: learnability run --resume ${file}`]);
    const stopped = parseRecord(readFileSync(file, 'utf8'));
    expect(stopped.end?.summary.status).toBe('stopped');
    expect(existsSync(file.replace(/\.jsonl$/, '.ckpt'))).toBe(true);
  });

  it('a run killed mid-way leaves a readable record and resumes to the end', async () => {
    const args = [
      'run',
      'sparse-parity',
      ...smallAt(16),
      '--set',
      'run.stopWhenLearned=false',
      '--steps',
      '400',
      '--replicas',
      '1',
      '--threads',
      '1',
    ];
    const stdout = await cliKilledWhen(args, (s) => /step 200:/.test(s));
    const recordPath = /run (\S+) on/.exec(stdout)?.[1];
    expect(recordPath).toBeDefined();
    const file = join(out, `${recordPath}.jsonl`);
    const partial = parseRecord(readFileSync(file, 'utf8'));
    expect(partial.end).toBeNull();
    // Every eval logged before the kill is on disk; the checkpoint may be one eval behind.
    const lastStep = partial.evals[partial.evals.length - 1]?.step ?? 0;
    expect(lastStep).toBeGreaterThanOrEqual(200);
    expect(existsSync(file.replace(/\.jsonl$/, '.ckpt'))).toBe(true);

    const r = cli(['run', '--resume', file, '--json', '--threads', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ preset: 'sparse-parity', runId: recordPath });
    const full = parseRecord(readFileSync(file, 'utf8'));
    expect(full.starts).toHaveLength(2);
    const resumedAt = full.starts[1]?.startStep ?? 0;
    expect([lastStep - 50, lastStep]).toContain(resumedAt);
    expect(full.end?.summary.steps).toBe(400);
    // One line per eval: the steps past the checkpoint were dropped and recomputed.
    expect(full.evals.map((e) => e.step)).toEqual([50, 100, 150, 200, 250, 300, 350, 400]);

    // A resumed run keeps its record: --out would write nowhere.
    const elsewhere = cli(['run', '--resume', file, '--out', join(out, 'elsewhere')]);
    expect([elsewhere.code, ourStderr(elsewhere.stderr)]).toEqual([
      2,
      [`error: run: --out does not apply with --resume: the run continues in its own record, ${file}`],
    ]);
    // Its default value too (it read as not given): the record stays where it is, wherever --out points.
    expect(cli(['run', '--resume', file, '--out', 'runs', '--dry-run']).stderr).toContain(
      'run: --out does not apply with --resume',
    );
    // Trained further with --steps and killed again, it resumes to the latest session's --steps, not the first's.
    await cliKilledWhen(['run', '--resume', file, '--steps', '600', '--threads', '1'], (s) => /step 500:/.test(s));
    const again = cli(['run', '--resume', file, '--json', '--threads', '1']);
    expect(again.code, again.stderr).toBe(0);
    expect(parseRecord(readFileSync(file, 'utf8')).end?.summary.steps).toBe(600);
  });
});
