import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRecord } from '@learnability/experiment';
import { describe, expect, it } from 'vitest';
import { cli, cliKilledWhen, ourStderr } from '../test/cli.js';

const out = mkdtempSync(join(tmpdir(), 'learnability-cli-'));

describe('learnability backends', () => {
  it('--json lists cpu and wasm available, and webgpu with its adapter when a driver is present', () => {
    const r = cli(['backends', '--json']);
    expect(r.code).toBe(0);
    const { backends } = JSON.parse(r.stdout) as { backends: { name: string; available: boolean; reason?: string; adapter?: unknown }[] };
    expect(backends.map((b) => b.name)).toEqual(['cpu', 'wasm', 'webgpu']);
    expect(backends.filter((b) => b.available).map((b) => b.name)).toEqual(expect.arrayContaining(['cpu', 'wasm']));
    const webgpu = backends.find((b) => b.name === 'webgpu');
    if (process.env.LEARNABILITY_REQUIRE_WEBGPU === '1') expect(webgpu?.available, webgpu?.reason).toBe(true);
    if (webgpu?.available) expect(webgpu.adapter).toBeDefined();
    else expect(webgpu?.reason).toMatch(/use --backend wasm|install/);
  });
});

describe('bad input gets one line and exit code 2', () => {
  const cases: [string, string[], RegExp][] = [
    ['unknown command', ['trian'], /^error: unknown command "trian"; commands: run, presets/],
    ['unknown flag', ['run', 'sparse-parity', '--replica', '3'], /^error: run: Unknown option '--replica'.*see learnability run --help$/],
    ['bad flag value', ['run', 'sparse-parity', '--seed', 'x'], /^error: run: --seed must be an integer ≥ 0, but got "x"$/],
    ['unknown preset', ['run', 'sparse-parrity'], /^error: unknown preset "sparse-parrity"; known presets: sparse-parity/],
    ['every config problem at once', ['run', 'sparse-parity', '--set', 'trainer.lr=-1', '--set', 'model.widht=[3]', '--backend', 'tpu'],
      /^error: invalid config: model\.widht: unknown option "widht"; did you mean "widths"\?.*; trainer\.lr: expected a number > 0, but got -1; backend: expected one of "auto", "cpu", "wasm", "webgpu", but got "tpu"$/],
    ['missing file', ['run', 'nope/missing.json'], /^error: config file "nope\/missing.json" does not exist/],
    ['plot without --out', ['plot', 'x.jsonl'], /^error: plot: --out must name a .svg or .png file, but got nothing$/],
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

  it('a config file that is not JSON names the file and the parse error', () => {
    const file = join(out, 'broken.json');
    writeFileSync(file, '{"task": ');
    const r = cli(['run', file]);
    expect(r.code).toBe(2);
    expect(ourStderr(r.stderr)[0]).toMatch(/^error: config file ".*broken.json" is not valid JSON \(/);
  });
});

describe('learnability run', () => {
  const small = ['--set', 'task.n=12', '--set', 'model.widths=[64]', '--set', 'run.evalEvery=50', '--set', 'run.testSize=500', '--backend', 'wasm', '--out', out];

  it('--json prints one summary object; the record has a start, evals and an end; wasm threads are chosen by timing the run’s step', () => {
    const r = cli(['run', 'sparse-parity', ...small, '--replicas', '2', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { preset: string; backend: string; learnedAtStep: number | null; replicas: { learnedAtStep: number | null }[]; record: string; testAccuracy: number; learners: { name: string; learnedAtSample: number }[] };
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
    const chosen = /on wasm \((\d+) threads?, the fastest of 1 → [\d.e+]+ ms\/step, \d+ → [\d.e+]+ ms\/step[^)]*\)|on wasm \(1 thread \(1 core\)\)/.exec(r.stderr);
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

  it('a run killed mid-way leaves a readable record and resumes to the end', async () => {
    const args = ['run', 'sparse-parity', ...small, '--set', 'task.n=16', '--set', 'run.stopWhenLearned=false', '--steps', '400', '--replicas', '1', '--threads', '1'];
    const stdout = await cliKilledWhen(args, (s) => /step 200:/.test(s));
    const recordPath = /run (\S+) on/.exec(stdout)?.[1];
    expect(recordPath).toBeDefined();
    const file = join(out, `${recordPath}.jsonl`);
    const partial = parseRecord(readFileSync(file, "utf8"));
    expect(partial.end).toBeNull();
    // Every eval logged before the kill is on disk; the checkpoint may be one eval behind.
    const lastStep = partial.evals[partial.evals.length - 1]?.step ?? 0;
    expect(lastStep).toBeGreaterThanOrEqual(200);
    expect(existsSync(file.replace(/\.jsonl$/, '.ckpt'))).toBe(true);

    const r = cli(['run', '--resume', file, '--json', '--threads', '1']);
    expect(r.code, r.stderr).toBe(0);
    const full = parseRecord(readFileSync(file, 'utf8'));
    expect(full.starts).toHaveLength(2);
    const resumedAt = full.starts[1]?.startStep ?? 0;
    expect([lastStep - 50, lastStep]).toContain(resumedAt);
    expect(full.end?.summary.steps).toBe(400);
    // One line per eval: the steps past the checkpoint were dropped and recomputed.
    expect(full.evals.map((e) => e.step)).toEqual([50, 100, 150, 200, 250, 300, 350, 400]);
  });
});
