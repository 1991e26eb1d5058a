import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CLI_ARGS, ROOT, cli, cliKilledWhen, cliSignalledWhen } from '../test/cli.js';
import type { SweepRow } from './experiments/align-width-sweep/report.js';
import type { Results } from './experiments/rcnn-vs-elimination/results.js';

// Each test starts several CLI processes that train; on a loaded 2-core machine that takes minutes.
vi.setConfig({ testTimeout: 300_000 });

const dir = mkdtempSync(join(tmpdir(), 'learnability-sweep-'));
const spec = join(dir, 'spec.json');
// Three packed runs of two seeds each; runs do not stop early, so each takes a few seconds.
writeFileSync(
  spec,
  JSON.stringify({
    name: 'k-grid',
    base: {
      extends: 'sparse-parity',
      learners: [],
      model: { widths: [64] },
      run: { steps: 2500, evalEvery: 100, testSize: 300, stopWhenLearned: false },
    },
    axes: { 'task.n': [12], 'task.k': [1, 2, 3], seed: '0..1' },
  }),
);

interface Aggregate {
  jobs: number;
  groups: {
    values: Record<string, unknown>;
    learned: number;
    medianLearnedAtStep: number | null;
    meanTestAccuracy: number | null;
    medianWallSeconds: number;
  }[];
  records: string[];
}
/** The aggregate without wall times (the only field that may differ between two executions). */
const outcome = (a: Aggregate) => a.groups.map(({ medianWallSeconds: _w, ...rest }) => rest);
const sweep = (args: string[]) => {
  const r = cli(['sweep', spec, '--json', ...args]);
  expect(r.code, r.stderr).toBe(0);
  return { aggregate: JSON.parse(r.stdout) as Aggregate, stderr: r.stderr };
};

let reference: Aggregate | undefined;
/** The local-mode result every other mode is compared with (computed once). */
const local = (): Aggregate => (reference ??= sweep(['--out', join(dir, 'a'), '--workers', '2']).aggregate);

describe('learnability sweep (local worker threads)', () => {
  it('runs every job and aggregates by axis', () => {
    const a = local();
    expect(a.jobs).toBe(6);
    expect(a.groups.map((g) => g.values['task.k'])).toEqual([1, 2, 3]);
    expect(a.records.every((f) => existsSync(f))).toBe(true);
  });

  it("a sweep's run resumes by its record, named by its run id, from no preset", () => {
    const record = local().records[0] as string;
    const dry = cli(['run', '--resume', record, '--steps', '2600', '--dry-run']);
    expect(dry.stdout).toMatch(new RegExp(`^dry run: ${basename(record, '.jsonl')} \\(dense, `));
    const r = cli(['run', '--resume', record, '--steps', '2600', '--threads', '1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { preset: string | null; runId: string; steps: number };
    expect(summary).toMatchObject({ preset: null, runId: basename(record, '.jsonl'), steps: 2600 });
  });

  it('a killed sweep loses nothing: re-running skips finished runs and finishes the rest with the same results', async () => {
    const out = join(dir, 'b');
    await cliKilledWhen(['sweep', spec, '--out', out, '--workers', '1'], (s) => /\[1\/3\]/.test(s));
    const { aggregate, stderr } = sweep(['--out', out, '--workers', '1']);
    expect(stderr).toMatch(/already done/);
    expect(outcome(aggregate)).toEqual(outcome(local()));
  });

  it('Ctrl-C stops the running run at its next evaluation and starts no other; re-running finishes with the same results', async () => {
    const out = join(dir, 'c');
    const args = ['sweep', spec, '--out', out, '--workers', '1'];
    // With --json the lines go to stderr, and stdout gets one object, stopped or not.
    const r = await cliSignalledWhen([...args, '--json'], (s) => /\[1\/3\]/.test(s), 'SIGINT');
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/^\[2\/3\] .*: stopped, /m);
    expect(r.stderr).toMatch(
      /^stopped: 1 of 3 runs ended; the same command continues the others from their checkpoints$/m,
    );
    expect(JSON.parse(r.stdout)).toMatchObject({ stopped: true, ended: 1, runs: 3 });
    const { aggregate, stderr } = sweep(['--out', out, '--workers', '1']);
    expect(stderr).toMatch(/already done/);
    expect(outcome(aggregate)).toEqual(outcome(local()));
  });
});

const redisAvailable = spawnSync('redis-server', ['--version']).status === 0;
const requireRedis = process.env.LEARNABILITY_REQUIRE_REDIS === '1';

describe.runIf(redisAvailable || requireRedis)('learnability sweep --queue (Redis, BullMQ)', () => {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const url = `redis://127.0.0.1:${port}`;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    expect(redisAvailable, 'redis-server is not installed (Debian: apt-get install redis-server)').toBe(true);
    const redis = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    children.push(redis);
    await new Promise((r) => setTimeout(r, 500));
  });
  afterAll(() => {
    for (const c of children) c.kill('SIGKILL');
    spawnSync('redis-cli', ['-p', String(port), 'shutdown', 'nosave']);
  });
  // A 5 s lock: on 2 busy cores a worker's lock renewal can lag a second or two, and a lock that
  // lapses makes BullMQ take a live run for a stalled one; a killed worker's run waits 5 s.
  const worker = () => {
    const w = spawn(process.execPath, [...CLI_ARGS, 'worker', '--queue', url, '--lock-ms', '5000'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(w);
    let log = '';
    w.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    return { w, log: () => log };
  };

  it('two workers, one killed mid-run: the sweep still completes with every record and the same aggregate as local mode', async () => {
    const a = worker();
    const b = worker();
    const sweepProcess = spawn(
      process.execPath,
      [...CLI_ARGS, 'sweep', spec, '--json', '--out', join(dir, 'q'), '--queue', url],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(sweepProcess);
    let stdout = '';
    let stderr = '';
    sweepProcess.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    sweepProcess.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const finished = new Promise<number | null>((resolve) => sweepProcess.on('exit', resolve));
    // Kill whichever worker starts a run first, one second into it.
    while (!/attempt 1/.test(a.log() + b.log())) await new Promise((r) => setTimeout(r, 100));
    const [victim, survivor] = /attempt 1/.test(a.log()) ? [a, b] : [b, a];
    await new Promise((r) => setTimeout(r, 1000));
    victim.w.kill('SIGKILL');
    const killedRun = /run (\w+): \d+ job\(s\), attempt 1/.exec(victim.log())?.[1];
    expect(victim.log()).not.toMatch(new RegExp(`run ${killedRun}: completed`));
    expect(await finished, `sweep: ${stderr}\nsurvivor: ${survivor.log()}`).toBe(0);
    // The run the killed worker was in was taken up and finished by the other worker.
    expect(survivor.log()).toMatch(new RegExp(`run ${killedRun}: completed`));
    const queued = JSON.parse(stdout) as Aggregate;
    expect(queued.records.every((f) => existsSync(f))).toBe(true);
    expect(outcome(queued)).toEqual(outcome(local()));
  });

  it('a named experiment on the queue: the same results as on the local pool, and each run keeps its wall-clock budget', () => {
    const { w } = worker();
    const experiment = (args: string[]) => {
      const common = ['--full-sizes', '', '--in-context-steps', '0', '--trials', '5'];
      const r = cli(['run', 'rcnn-vs-elimination', ...common, '--replicas', '1', '--backend', 'cpu', ...args]);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as Results;
    };
    const learns = ['--sizes', '4', '--k', '3', '--max-steps', '3000', '--json'];
    const here = experiment([...learns, '--out', join(dir, 'experiment-local')]);
    const queued = experiment([...learns, '--out', join(dir, 'experiment-queue'), '--queue', url]);
    const samples = (r: Results) => r.direct.map((d) => [d.n, d.rcnn.samples, d.dense.samples, d.elimination.exact]);
    expect(samples(here)[0]?.[1]).not.toEqual([null]);
    expect(samples(queued)).toEqual(samples(here));
    // A 1 s budget reaches the worker: the run stops at an evaluation past it instead of training 10⁶ steps.
    const budget = [
      '--sizes',
      '10',
      '--k',
      '5',
      '--max-steps',
      '1000000',
      '--max-seconds',
      '1',
      '--json',
      '--queue',
      url,
    ];
    const stopped = experiment([...budget, '--out', join(dir, 'experiment-budget')]);
    expect(stopped.direct[0]?.rcnn.ended).toBe('time');
    expect(stopped.direct[0]?.dense.ended).toBe('time');
    w.kill('SIGTERM');
  });

  it("an experiment that reads its runs' checkpoints on the queue: the worker sends them back, and the alignments equal the local pool's", () => {
    const { w } = worker();
    const alignRows = (args: string[]) => {
      const tiny = ['--settings', 'add', '--add-widths', '8', '--add-steps', '2', '--rules', 'fa', '--backend', 'cpu'];
      const r = cli(['run', 'align-width-sweep', ...tiny, '--json', ...args]);
      expect(r.code, r.stderr).toBe(0);
      const rows = (JSON.parse(r.stdout) as { rows: SweepRow[] }).rows;
      return rows.map(({ wallSeconds: _w, stepsPerSecond: _s, ...row }) => row);
    };
    const here = alignRows(['--out', join(dir, 'align-local')]);
    const queued = alignRows(['--out', join(dir, 'align-queue'), '--queue', url]);
    expect(here.find((r) => r.rule === 'fa')?.alignment).toBeGreaterThan(0);
    expect(queued).toEqual(here);
    w.kill('SIGTERM');
  });
});
