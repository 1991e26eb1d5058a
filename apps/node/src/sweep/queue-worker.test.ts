import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRecord } from '@learnability/experiment';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { applyOverrides, getPreset, validateConfig } from '@learnability/presets';
import { CLI_ARGS, ROOT, cli, ourStderr } from '../../test/cli.js';
import { tinyParityConfig } from '../../test/tiny-parity.js';
import { UsageError } from '../cli-error.js';
import { executePackedRun } from './execute-packed-run.js';
import { runQueueWorker } from './queue-worker.js';
import { runOnQueue } from './redis-queue.js';

// The Redis test trains four runs on a shared 2-core machine with several CLI processes.
vi.setConfig({ testTimeout: 300_000 });

const dir = mkdtempSync(join(tmpdir(), 'learnability-queue-'));
const spec = join(dir, 'spec.json');
// Two packed runs of two seeds; they never stop early, so each trains for several seconds.
writeFileSync(
  spec,
  JSON.stringify({
    name: 'k-grid',
    base: {
      extends: 'sparse-parity',
      learners: [],
      // Wide enough, with a large enough batch, that a run lasts seconds: worker b must still be
      // training when Redis stops under it (at 64 wide and batch 32 a resumed run ended in 0.5 s).
      model: { widths: [256] },
      run: { steps: 3000, batchSize: 512, evalEvery: 100, testSize: 300, stopWhenLearned: false },
    },
    axes: { 'task.n': [12], 'task.k': [1, 2], seed: '0..1' },
  }),
);

describe('an unreachable Redis fails fast with one line and exit code 1', () => {
  const line =
    /^error: cannot reach Redis at redis:\/\/127\.0\.0\.1:1: connection refused; start redis-server or fix --queue$/;
  for (const args of [
    ['worker', '--queue', 'redis://127.0.0.1:1'],
    ['sweep', spec, '--queue', 'redis://127.0.0.1:1'],
  ]) {
    it(args[0] as string, () => {
      // A worker's temporary --dir is made only once Redis answered: a failed start leaves none
      // (in a TMPDIR of its own, which no other test writes to; tsx keeps its cache there too).
      const tmp = mkdtempSync(join(tmpdir(), 'learnability-tmpdir-'));
      const started = performance.now();
      const r = cli(args, ROOT, { env: { TMPDIR: tmp } });
      expect(readdirSync(tmp).filter((f) => f.startsWith('learnability-'))).toEqual([]);
      expect((performance.now() - started) / 1000).toBeLessThan(15);
      expect(r.code).toBe(1);
      expect(ourStderr(r.stderr)).toHaveLength(1);
      expect(ourStderr(r.stderr)[0]).toMatch(line);
      expect(r.stdout).toBe('');
    });
  }
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Polls `test` every 100 ms until it holds, or fails after `ms` naming `what`. */
async function until(what: string, test: () => boolean, ms = 120_000): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const redisAvailable = spawnSync('redis-server', ['--version']).status === 0;
const requireRedis = process.env.LEARNABILITY_REQUIRE_REDIS === '1';

/** A throwaway redis-server on a random loopback port, with nothing saved; `kill` ends it. */
async function privateRedis(): Promise<{ url: string; kill: () => void }> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const redis = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  await until(
    'redis-server',
    () => spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout.trim() === 'PONG',
    10_000,
  );
  return { url: `redis://127.0.0.1:${port}`, kill: () => redis.kill('SIGKILL') };
}

describe.runIf(redisAvailable || requireRedis)('queue workers under SIGTERM and a Redis outage', () => {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const url = `redis://127.0.0.1:${port}`;
  const redisDir = mkdtempSync(join(tmpdir(), 'learnability-redis-'));
  const workerDir = join(dir, 'worker');
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) c.kill('SIGKILL');
    spawnSync('redis-cli', ['-p', String(port), 'shutdown', 'nosave']);
  });
  // Redis keeps its data in an RDB file on shutdown, so a restart brings the queue back.
  const startRedis = async () => {
    children.push(
      spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--dir',
          redisDir,
          '--dbfilename',
          'queue.rdb',
          '--save',
          '',
          '--appendonly',
          'no',
        ],
        { stdio: 'ignore' },
      ),
    );
    await until(
      'redis-server',
      () => spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout.trim() === 'PONG',
      10_000,
    );
  };
  const startWorker = () => {
    const w = spawn(
      process.execPath,
      [...CLI_ARGS, 'worker', '--queue', url, '--lock-ms', '2000', '--dir', workerDir],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    children.push(w);
    let log = '';
    w.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
      w.on('exit', (code) => resolve({ code, at: performance.now() })),
    );
    /** Sends `signal`; resolves with the exit code and the seconds it took. */
    const term = async (signal: NodeJS.Signals = 'SIGTERM') => {
      const sent = performance.now();
      w.kill(signal);
      const { code, at } = await exited;
      return { code, seconds: (at - sent) / 1000 };
    };
    return { log: () => log, term };
  };

  it('SIGINT or SIGTERM stops a worker within 5 s with Redis up or down, and once Redis returns the sweep completes with every record', async () => {
    expect(redisAvailable, 'redis-server is not installed (Debian: apt-get install redis-server)').toBe(true);
    await startRedis();
    const sweep = spawn(
      process.execPath,
      [...CLI_ARGS, 'sweep', spec, '--json', '--out', join(dir, 'q'), '--queue', url],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(sweep);
    let stdout = '';
    let sweepLog = '';
    sweep.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    sweep.stderr?.on('data', (d: Buffer) => (sweepLog += d.toString()));
    const finished = new Promise<number | null>((resolve) => sweep.on('exit', resolve));

    // 1. Redis up: SIGINT (Ctrl-C) mid-run hands the run back to the queue.
    const a = startWorker();
    await until('worker a to start a run', () => /attempt 1/.test(a.log()));
    const runA = /run (\w+): \d+ job\(s\), attempt 1/.exec(a.log())?.[1] as string;
    await until('worker a to checkpoint its run', () => existsSync(join(workerDir, `${runA}.ckpt`)));
    const stopA = await a.term('SIGINT');
    expect(stopA.code, a.log()).toBe(0);
    expect(stopA.seconds, a.log()).toBeLessThan(5);
    expect(a.log()).toMatch(
      new RegExp(`run ${runA}: stopped at step \\d+, checkpoint in .*; handed back to the queue`),
    );

    // 2. Redis stopped under a live worker: it says so, and SIGTERM still stops it within 5 s.
    const b = startWorker();
    await until('worker b to start a run', () => /attempt/.test(b.log()));
    await sleep(1000);
    spawnSync('redis-cli', ['-p', String(port), 'shutdown', 'save']);
    await until('worker b to notice', () => /lost Redis at .*; retry 1 in/.test(b.log()), 20_000);
    const stopB = await b.term();
    expect(stopB.code, b.log()).toBe(0);
    expect(stopB.seconds, b.log()).toBeLessThan(5);
    expect(b.log()).toMatch(/Redis did not answer: the queue hands it out again when its lock expires/);

    // 3. Redis returns: a new worker finishes every run; the waiting sweep reconnects and completes.
    await startRedis();
    const c = startWorker();
    expect(await finished, sweepLog).toBe(0);
    expect(sweepLog).toMatch(/lost Redis at/);
    expect(sweepLog).toMatch(/reconnected to Redis at/);
    // The worker resumed at least one stopped run from the checkpoint a stopped worker left.
    expect(c.log()).toMatch(/completed \(resumed from its checkpoint\)/);
    const aggregate = JSON.parse(stdout) as { jobs: number; records: string[] };
    expect(aggregate.jobs).toBe(4);
    expect(aggregate.records).toHaveLength(2);
    for (const file of aggregate.records) {
      expect(existsSync(file)).toBe(true);
      const record = parseRecord(readFileSync(file, 'utf8'));
      expect(record.end?.summary.status).toBe('completed');
      expect(record.end?.summary.steps).toBe(3000);
      // One line per eval, none lost or repeated across the stops.
      expect(record.evals.map((e) => e.step)).toEqual(Array.from({ length: 30 }, (_, i) => (i + 1) * 100));
    }
    await c.term();
  });
});

describe.runIf(redisAvailable || requireRedis)('a run a worker refuses as bad input', () => {
  it('is said by the sweep, once every attempt failed, as bad input (exit 2), naming the run, the worker and its --dir', async () => {
    expect(redisAvailable, 'redis-server is not installed (Debian: apt-get install redis-server)').toBe(true);
    const { url, kill } = await privateRedis();
    const stop = new AbortController();
    try {
      const workerDir = mkdtempSync(join(tmpdir(), 'learnability-refusing-worker-'));
      const config = validateConfig(
        applyOverrides(structuredClone(getPreset('sparse-parity').config), ['backend="cpu"', 'run.steps=20']),
      );
      const run = { id: 'refused', config, jobIds: ['a'] };
      // A record that cannot be read beside its checkpoint, in the worker's own folder.
      writeFileSync(join(workerDir, 'refused.jsonl'), 'not a record\n');
      writeFileSync(join(workerDir, 'refused.ckpt'), 'x');
      const lines: string[] = [];
      const worker = runQueueWorker(
        url,
        { concurrency: 1, dir: workerDir, lockMs: 2000, log: (l) => lines.push(l) },
        stop.signal,
      );
      const started = performance.now();
      const sweep = runOnQueue(
        [{ run, recordPath: join(dir, 'refused-here.jsonl'), threads: 1 }],
        url,
        { onEval: () => {}, onDone: () => {} },
        () => {},
      );
      await expect(sweep).rejects.toThrow(UsageError);
      const where = `(on worker ${hostname()}, --dir ${workerDir})`;
      await expect(sweep).rejects.toThrow(
        /^run refused: its record cannot be read \(.*\); move .* aside to train this run again \(on worker /,
      );
      await expect(sweep).rejects.toThrow(`${where}; the last of 3 attempts`);
      // Retried, as the queue retries any failure: another worker's --dir may hold no such record.
      expect(lines.filter((l) => /^run refused: \d+ job\(s\), attempt/.test(l))).toEqual(
        [1, 2, 3].map((a) => `run refused: 1 job(s), attempt ${a}`),
      );
      // The worker's own log says why each attempt failed: the sweep hears it only after the last.
      expect(lines.filter((l) => /^run refused: attempt \d failed: its record cannot be read/.test(l))).toHaveLength(3);
      expect((performance.now() - started) / 1000).toBeLessThan(60);
      stop.abort();
      await worker;
    } finally {
      stop.abort();
      kill();
    }
  });
});

describe.runIf(redisAvailable || requireRedis)('a queue sweep beside the records already in --out', () => {
  it('reuses a finished record, refuses a stopped one, and reports a job done before as skipped and a new one as ran, removing a stale checkpoint', async () => {
    expect(redisAvailable, 'redis-server is not installed (Debian: apt-get install redis-server)').toBe(true);
    const { url, kill } = await privateRedis();
    const stop = new AbortController();
    try {
      const out = mkdtempSync(join(tmpdir(), 'learnability-queue-out-'));
      const config = (steps: number) => tinyParityConfig([`run.steps=${steps}`]);
      const task = (id: string, steps = 40) => ({
        run: { id, config: config(steps), jobIds: [id] },
        recordPath: join(out, `${id}.jsonl`),
        threads: 1,
      });
      const outcomes: [string, string][] = [];
      const progress = {
        onEval: () => {},
        onDone: (id: string, o: { how: string }) => void outcomes.push([id, o.how]),
      };
      const quiet = () => {};
      // Finished here before: reused without a worker, its record untouched.
      await executePackedRun(task('finished'));
      const finished = readFileSync(join(out, 'finished.jsonl'), 'utf8');
      await runOnQueue([task('finished')], url, progress, quiet);
      expect(outcomes).toEqual([['finished', 'skipped']]);
      expect(readFileSync(join(out, 'finished.jsonl'), 'utf8')).toBe(finished);
      // Stopped here (its budget spent, now run without one): the queue would train it from step 0 over it.
      await executePackedRun({ ...task('stopped'), maxSeconds: 1e-6 });
      await expect(runOnQueue([task('stopped')], url, progress, quiet)).rejects.toThrow(
        `run stopped: --queue: "${join(out, 'stopped.jsonl')}" holds this run stopped at step 20, with its checkpoint; finish it here (the same command without --queue), or move the record and its checkpoint aside to train it on the queue`,
      );
      // A new run, beside a checkpoint that belongs to no record: trained by a worker, the stale file removed.
      writeFileSync(join(out, 'fresh.ckpt'), 'stale');
      const worker = runQueueWorker(
        url,
        { concurrency: 1, dir: mkdtempSync(join(tmpdir(), 'learnability-queue-worker-')), lockMs: 2000, log: quiet },
        stop.signal,
      );
      outcomes.length = 0;
      await runOnQueue([task('fresh')], url, progress, quiet);
      expect(outcomes).toEqual([['fresh', 'ran']]);
      expect(existsSync(join(out, 'fresh.ckpt'))).toBe(false);
      expect(parseRecord(readFileSync(join(out, 'fresh.jsonl'), 'utf8')).end?.summary.steps).toBe(40);
      // Its record moved away, the same run again: the queue's job was done before this sweep.
      rmSync(join(out, 'fresh.jsonl'));
      outcomes.length = 0;
      await runOnQueue([task('fresh')], url, progress, quiet);
      expect(outcomes).toEqual([['fresh', 'skipped']]);
      stop.abort();
      await worker;
    } finally {
      stop.abort();
      kill();
    }
  });
});
