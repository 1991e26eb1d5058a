import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@learnability/core';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../test/cli.js';
import { inalCommand } from './commands/inal.js';
import { runCommand } from './commands/run.js';
import { sweepCommand } from './commands/sweep.js';
import { workerCommand } from './commands/worker.js';
import type { Io } from './io.js';

/** An Io that keeps stdout and stderr lines apart. */
function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l), status: () => {}, interactive: false };
  return { io, out, err };
}

describe('--dry-run checks and says what would run, and trains nothing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'learnability-dry-run-'));

  it('run <preset>: the resolved config as JSON, no record written', async () => {
    const out = join(dir, 'preset');
    const c = capture();
    const argv = ['sparse-parity', '--set', 'task.n=16', '--steps', '100', '--out', out, '--dry-run', '--json'];
    expect(await runCommand(argv, c.io)).toBe(0);
    const result = JSON.parse(c.out.join('')) as { dryRun: boolean; config: { task: { n: number }; run: object } };
    expect(result.dryRun).toBe(true);
    expect(result.config.task.n).toBe(16);
    expect(result.config.run).toMatchObject({ steps: 100 });
    expect(c.err.join('\n')).toMatch(
      /^dry run: sparse-parity \(dense, 18,001 parameters; sparse-parity\) for 100 steps/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('run <experiment>: every run and its validated config, nothing under --out', async () => {
    const out = join(dir, 'experiment');
    const c = capture();
    expect(await runCommand(['looped-vs-standard', '--steps', '7', '--out', out, '--dry-run', '--json'], c.io)).toBe(0);
    const { runs } = JSON.parse(c.out.join('')) as { runs: { key: string; config: { run: { steps: number } } }[] };
    expect(runs.map((r) => [r.key, r.config.run.steps])).toEqual([
      ['looped', 7],
      ['standard', 7],
    ]);
    expect(existsSync(out)).toBe(false);
  });

  it('sweep: the packed runs, without contacting the queue', async () => {
    const c = capture();
    const spec = join(ROOT, 'sweeps/sparse-parity-n.json');
    expect(await sweepCommand([spec, '--queue', 'redis://127.0.0.1:1', '--dry-run'], c.io)).toBe(0);
    expect(c.out[0]).toMatch(/^dry run: sweep sparse-parity-n: 32 jobs in 4 packed run\(s\)/);
    expect(c.out.slice(1)).toHaveLength(4);
    expect(c.out[1]).toMatch(/^ {2}task\.n=20, seeds 0\.\.7: 40,000 steps, run \w+$/);
    // A sweep over seeds alone: the run is its seeds (it read "seed=0 (2 seeds)").
    const seedsOnly = join(dir, 'seeds-only.json');
    writeFileSync(seedsOnly, JSON.stringify({ base: 'sparse-parity', axes: { seed: '0..1' } }));
    const d = capture();
    expect(await sweepCommand([seedsOnly, '--dry-run'], d.io)).toBe(0);
    expect(d.out[1]).toMatch(/^ {2}seeds 0\.\.1: /);
    // Flags that spec makes useless are refused before anything trains: --plot with no numeric axis
    // (it was skipped after the sweep), --threads beside runs on cpu (ignored there).
    await expect(sweepCommand([seedsOnly, '--plot', join(dir, 'p.svg'), '--dry-run'], capture().io)).rejects.toThrow(
      'sweep: --plot: the plot puts median learned-at-step against a numeric axis, and this spec has none besides the seed; drop --plot or add an axis such as "task.n": [20, 30]',
    );
    const onCpu = join(dir, 'on-cpu.json');
    writeFileSync(
      onCpu,
      JSON.stringify({ base: { extends: 'sparse-parity', backend: 'cpu' }, axes: { 'task.n': [8] } }),
    );
    await expect(sweepCommand([onCpu, '--threads', '2', '--dry-run'], capture().io)).rejects.toThrow(
      `sweep: --threads: sets wasm's thread count, but every run trains on cpu; drop --threads or set "backend": "wasm" in the spec`,
    );
    const e = capture();
    expect(await sweepCommand([onCpu, '--plot', join(dir, 'p.svg'), '--dry-run'], e.io)).toBe(0);
    // sparse-parity trains 4 replicas; without a seed axis each cell is one network, and it says so.
    expect(e.out[0]).toBe(
      `note: the base's run.replicas 4 is 1 per job (a sweep's unit is one network): add a "seed" axis, e.g. "seed": "0..3", for 4 networks per cell`,
    );
    expect(d.out.some((l) => l.startsWith('note:'))).toBe(false);
  });

  it('sweep and run <experiment>: a run too big for its backend is refused by the dry run, naming the run', async () => {
    const big = join(dir, 'big.json');
    const axes = { 'model.widths': [[64], [100000000]] };
    writeFileSync(big, JSON.stringify({ base: { extends: 'sparse-parity', backend: 'wasm' }, axes }));
    await expect(sweepCommand([big, '--dry-run'], capture().io)).rejects.toThrow(
      /^model\.widths=\[100000000\], seed 0: model\.widths: the evaluation activations need ≈ 2\.2 TiB .*; wasm holds at most 4 GiB/,
    );
    // On a queue the runs train on the workers' machines: a cpu run is theirs to check, a wasm
    // run's heap is 4 GiB everywhere.
    const queue = ['--queue', 'redis://127.0.0.1:1', '--dry-run'];
    const onCpu = join(dir, 'big-cpu.json');
    writeFileSync(onCpu, JSON.stringify({ base: { extends: 'sparse-parity', backend: 'cpu' }, axes }));
    expect(await sweepCommand([onCpu, ...queue], capture().io)).toBe(0);
    await expect(sweepCommand([big, ...queue], capture().io)).rejects.toThrow(
      /^model\.widths=\[100000000\], seed 0: model\.widths: .*; wasm holds at most 4 GiB/,
    );
    // 32 seeds of a wide network do not fit wasm's heap as one packed run, but 8 do: the packs are
    // split, where the sweep was refused for a run.replicas the spec never set.
    const seeds = join(dir, 'seeds.json');
    const wideNet = { extends: 'sparse-parity', backend: 'wasm', learners: [], model: { widths: [12000] } };
    writeFileSync(seeds, JSON.stringify({ base: wideNet, axes: { seed: '0..31' } }));
    const c = capture();
    expect(await sweepCommand([seeds, '--dry-run', '--json'], c.io)).toBe(0);
    expect(c.err[0]).toBe('memory: a packed run of 32 seeds would not fit; split into 4 runs of at most 8 replicas');
    const dry = JSON.parse(c.out.join('')) as { runs: { jobIds: string[]; config: { run: { seed: number } } }[] };
    expect(dry.runs.map((r) => [r.config.run.seed, r.jobIds.length])).toEqual([
      [0, 8],
      [8, 8],
      [16, 8],
      [24, 8],
    ]);
    // A bad --set is said as typed, model prefix and all, and the prefixes are among the keys known.
    await expect(
      runCommand(['looped-vs-standard', '--set', 'looped.bogus=1', '--dry-run'], capture().io),
    ).rejects.toThrow(
      '--set looped.bogus: unknown key "bogus"; known: looped.…, standard.…, task, model, trainer, run, learners, backend',
    );
    const wide = ['looped-vs-standard', '--set', 'standard.model.embedSize=100000', '--dry-run'];
    await expect(runCommand([...wide, '--out', join(dir, 'wide')], capture().io)).rejects.toThrow(
      /^standard: model\.embedSize: the optimiser state needs ≈ \d+(\.\d)? TiB .*; wasm holds at most 4 GiB: lower model\.embedSize$/,
    );
  });

  it('a run id or sweep name too long for a file name is refused by the dry run, where the run failed with ENAMETOOLONG', async () => {
    const long = join(dir, `${'b'.repeat(245)}.json`);
    writeFileSync(long, JSON.stringify({ extends: 'sparse-parity' }));
    await expect(runCommand([long, '--out', join(dir, 'long'), '--dry-run'], capture().io)).rejects.toThrow(
      /^run: the run id \(264 bytes, "b{24}…"\) is too long for its record's file names, which leave it 215 of a file name's 255; it starts with the name of the config file "b{24}…": give the file a shorter name$/,
    );
    const spec = join(dir, 'long-name.json');
    writeFileSync(spec, JSON.stringify({ name: 'a'.repeat(300), base: 'sparse-parity', axes: { seed: '0..1' } }));
    await expect(sweepCommand([spec, '--dry-run'], capture().io)).rejects.toThrow(
      `sweep: the spec's name is 300 bytes, past the 255 of a directory name (records go to <out>/<name>); give it a shorter "name"`,
    );
  });

  it('run <experiment> and inal: a flag that no chosen run or measurement reads is refused, naming what would read it', async () => {
    const out = ['--out', join(dir, 'unread'), '--dry-run'];
    await expect(
      runCommand(['align-width-sweep', '--settings', 'mnist', '--add-widths', '16', ...out], capture().io),
    ).rejects.toThrow(
      '--add-widths: sizes the add setting, which --settings mnist does not select; drop it or add add to --settings',
    );
    await expect(
      runCommand(['inal-learnability', '--n', '8', '--samples', '100', ...out], capture().io),
    ).rejects.toThrow('--samples: sizes the sampled estimate, but every n (8) is at most 16 and enumerated exactly');
    await expect(
      inalCommand(['--target', 'parity:2', '--n', '8', '--samples', '100', '--dry-run'], capture().io),
    ).rejects.toThrow('--samples: sizes the sampled estimate, but every n (8) is at most --exact-max-bits 14');
    expect(
      await inalCommand(['--target', 'parity:2', '--n', '8,30', '--samples', '100', '--dry-run'], capture().io),
    ).toBe(0);
  });

  it('an empty --queue, --plot or experiment output flag is refused, where it was read as left out', async () => {
    const spec = join(ROOT, 'sweeps/smoke.json');
    for (const flag of ['--queue', '--plot'])
      await expect(sweepCommand([spec, flag, '', '--dry-run'], capture().io)).rejects.toThrow(
        `sweep: ${flag}: expected a value, but got ""; leave the flag out for the default`,
      );
    await expect(runCommand(['looped-vs-standard', '--figures', '', '--dry-run'], capture().io)).rejects.toThrow(
      '--figures: expected a value, but got ""',
    );
  });

  it('run <experiment> --queue: every experiment, without contacting the queue', async () => {
    for (const name of ['align-width-sweep', 'inal-learnability'])
      expect(await runCommand([name, '--queue', 'redis://127.0.0.1:1', '--dry-run'], capture().io)).toBe(0);
  });

  it('refuses flags that would do nothing: --workers and --threads on the queue, --threads off wasm', async () => {
    const spec = join(ROOT, 'sweeps/sparse-parity-n.json');
    const queue = ['--queue', 'redis://127.0.0.1:1', '--dry-run'];
    await expect(sweepCommand([spec, ...queue, '--workers', '4', '--threads', '2'], capture().io)).rejects.toThrow(
      "sweep: --workers: with --queue the runs train on the queue's workers; start as many as you like with learnability worker --queue url (--concurrency N each); --threads: with --queue each worker runs a job on one wasm thread; drop --threads",
    );
    await expect(runCommand(['align-width-sweep', ...queue, '--workers', '2'], capture().io)).rejects.toThrow(
      "--workers: with --queue the runs train on the queue's workers",
    );
    await expect(
      runCommand(['inal-learnability', '--backend', 'cpu', '--threads', '2', '--dry-run'], capture().io),
    ).rejects.toThrow(
      "--threads: sets wasm's thread count, but this runs on cpu; drop --threads or use --backend wasm",
    );
    // A --threads default (rcnn-vs-elimination's 1) is no choice of the user's, and --threads on the
    // queue still sets the measurement's threads here.
    const rcnn = ['rcnn-vs-elimination', '--backend', 'cpu', '--sizes', '4', '--full-sizes', '', '--dry-run'];
    expect(await runCommand(rcnn, capture().io)).toBe(0);
    expect(await runCommand(['align-width-sweep', ...queue, '--threads', '2'], capture().io)).toBe(0);
  });

  it('still reports what is wrong: a bad option, a target that does not fit an n', async () => {
    await expect(runCommand(['sparse-parity', '--set', 'task.nn=3', '--dry-run'], capture().io)).rejects.toThrow(
      ConfigError,
    );
    await expect(inalCommand(['--target', 'parity:12', '--n', '8,16', '--dry-run'], capture().io)).rejects.toThrow(
      /k = 12 must be in \[0, 8\] at n = 8/,
    );
    // An experiment's runs: each problem under the keys of the runs it is in, since a --set may reach one run of several.
    const looped = ['looped-vs-standard', '--set', 'looped.trainer.lr=-1', '--set', 'run.batchSize=0', '--dry-run'];
    await expect(runCommand(looped, capture().io)).rejects.toThrow(
      'looped: trainer.lr: expected a number > 0, but got -1; looped | standard: run.batchSize: expected an integer ≥ 1, but got 0',
    );
  });

  it('refuses what the real command would refuse before training: an --out or --plot that is a file or a directory, a bad --queue, --threads off wasm', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const spec = join(ROOT, 'sweeps/smoke.json');
    const cases: [Promise<number>, RegExp][] = [
      [
        runCommand(['sparse-parity', '--out', file, '--dry-run'], capture().io),
        /^run: --out: .*a-file is a file, not a directory; pass a directory$/,
      ],
      [
        runCommand(['sparse-parity', '--backend', 'cpu', '--threads', '2', '--dry-run'], capture().io),
        /^run: --threads: sets wasm's thread count, but this runs on cpu; drop --threads or use --backend wasm$/,
      ],
      [sweepCommand([spec, '--out', file, '--dry-run'], capture().io), /^sweep: --out: .*a-file is a file/],
      [
        sweepCommand([spec, '--plot', join(file, 'x.svg'), '--dry-run'], capture().io),
        /^sweep: --plot: .*a-file is a file/,
      ],
      [sweepCommand([spec, '--plot', dir, '--dry-run'], capture().io), /^sweep: --plot must name a .svg or .png file/],
      [
        sweepCommand([spec, '--queue', 'notaurl', '--dry-run'], capture().io),
        /^sweep: --queue must be a Redis URL like redis:\/\/127.0.0.1:6379, but got "notaurl"$/,
      ],
      [
        runCommand(['looped-vs-standard', '--out', file, '--dry-run'], capture().io),
        /^run looped-vs-standard: --out: .*a-file is a file/,
      ],
      [
        runCommand(['inal-learnability', '--queue', 'notaurl', '--dry-run'], capture().io),
        /^run inal-learnability: --queue must be a Redis URL/,
      ],
      [
        runCommand(
          ['looped-vs-standard', '--backend', 'auto', '--queue', 'redis://127.0.0.1:1', '--dry-run'],
          capture().io,
        ),
        /^run looped-vs-standard: --backend auto: times this machine's backends, but with --queue the runs train on the workers' machines; name their backend \(--backend wasm or webgpu\)/,
      ],
    ];
    for (const [run, message] of cases) await expect(run).rejects.toThrow(message);
    // A worker, before it takes a job: every job would fail on a --dir it cannot write.
    await expect(workerCommand(['--queue', 'redis://127.0.0.1:1', '--dir', file], capture().io)).rejects.toThrow(
      /^worker: --dir: .*a-file is a file, not a directory; pass a directory$/,
    );
    // --json is the common flag, but a worker has no results to print: refused, not ignored.
    await expect(workerCommand(['--queue', 'redis://127.0.0.1:1', '--json'], capture().io)).rejects.toThrow(
      /^worker: --json: a worker prints no results, only a log on stderr; drop --json$/,
    );
    const plotDir = join(dir, 'plot.svg');
    mkdirSync(plotDir);
    await expect(sweepCommand([spec, '--plot', plotDir, '--dry-run'], capture().io)).rejects.toThrow(
      /^sweep: --plot: .*plot.svg is a directory; pass a file path$/,
    );
  });

  it("makes --plot's folder before a sweep trains: one it cannot make is refused before the first run", async () => {
    const out = join(dir, 'plot-refused');
    // /proc takes no new folder, whoever asks (root included).
    await expect(
      sweepCommand(
        [join(ROOT, 'sweeps/smoke.json'), '--out', out, '--plot', '/proc/learnability-x/p.svg'],
        capture().io,
      ),
    ).rejects.toThrow(
      /^sweep: --plot: cannot create the directory \/proc\/learnability-x \(.*\); name one you can write to$/,
    );
    expect(readdirSync(join(out, 'smoke'))).toEqual([]);
  });
});
