import { ConfigError } from '@learnability/core';
import type { RunSummary } from '@learnability/core';
import { describe, expect, it } from 'vitest';
import { aggregateSweep, jobResults } from './aggregate.js';
import { expandSweep } from './expand.js';
import { packJobs } from './pack.js';
import type { PackedRun } from './pack.js';
import { parseSweepSpec } from './spec.js';

const raw = {
  name: 'grid',
  base: { extends: 'sparse-parity', learners: [] },
  axes: { 'task.n': [20, 30], trainer: ['sgd', { name: 'adam', lr: 0.001 }], seed: '0..2' },
};

describe('sweep specs', () => {
  it('report every problem at once with its path', () => {
    try {
      parseSweepSpec({ name: 'bad name!', base: 'nope', axes: { 'task.n': [], seed: '5..1', 'x..y': [1] }, extra: 1 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).issues.map((i) => i.path).sort()).toEqual([
        'axes.seed',
        'axes.task.n',
        'axes.x..y',
        'base',
        'extra',
        'name',
      ]);
    }
  });

  it('a range names its limits: a ≤ b, and at most 100,001 values', () => {
    expect(() => parseSweepSpec({ base: 'sparse-parity', axes: { seed: '0..100001' } })).toThrow(
      'axes.seed: expected a non-empty list or a range "a..b" (a ≤ b, at most 100,001 values), but got "0..100001"',
    );
    expect(parseSweepSpec({ base: 'parity-elimination', axes: { seed: '0..100000' } }).axes[0]?.values).toHaveLength(
      100_001,
    );
  });

  it('an unknown top-level key is named, with the nearest known one', () => {
    expect(() => parseSweepSpec({ base: 'sparse-parity', axis: { seed: '0..1' } })).toThrow(
      'axis: unknown key "axis"; did you mean "axes"? known: name, base, axes, description',
    );
  });

  it('an empty axes object says it is empty, not that it is not an object', () => {
    expect(() => parseSweepSpec({ base: 'sparse-parity', axes: {} })).toThrow(
      'axes: empty: a sweep needs at least one axis, like {"task.n": [20, 30], "seed": "0..7"}',
    );
    expect(() => parseSweepSpec({ base: 'sparse-parity', axes: [] })).toThrow(
      'axes: expected an object of config paths to value lists, like',
    );
  });

  it('refuse axes that cannot change a job, each with its fix', () => {
    const axisIssue = (axes: Record<string, unknown>) => () => parseSweepSpec({ base: 'sparse-parity', axes });
    expect(axisIssue({ extends: ['sparse-parity', 'noisy-gd-parity'] })).toThrow(
      new ConfigError([
        {
          path: 'axes.extends',
          message:
            'the base preset is resolved before axes apply, so every cell would be the same run; write one spec per preset ("base": "noisy-gd-parity"), or vary parts with an axis on "task", "model" or "trainer"',
        },
      ]),
    );
    expect(axisIssue({ description: ['a', 'b'] })).toThrow(
      new ConfigError([
        {
          path: 'axes.description',
          message: `a description does not change a run, so every cell would be the same run; describe the sweep in the spec's "description"`,
        },
      ]),
    );
    expect(axisIssue({ 'run.replicas': [1, 2] })).toThrow(
      new ConfigError([
        {
          path: 'axes.run.replicas',
          message:
            'each job is one network (run.replicas is 1 per job; jobs that differ only in seed are packed into replicas); add networks with a "seed" range like "0..7"',
        },
      ]),
    );
    // Seeds under another name would be packed but not taken as seeds by the tables.
    expect(axisIssue({ 'run.seed': '0..3' })).toThrow(
      'axes.run.seed: seeds are the "seed" axis, which the tables take medians and success rates over and which packs into replicas; name it "seed" (e.g. "seed": "0..7")',
    );
    // Inside an axis of whole run objects too, where it got around the refusal.
    expect(axisIssue({ run: [{ seed: 3 }, { seed: 4 }] })).toThrow(
      'axes.run: seeds are the "seed" axis, which the tables take medians and success rates over and which packs into replicas; name it "seed" (e.g. "seed": "0..7")',
    );
  });

  it('labels two values of one part name apart by their options, so their rows and plot lines stay two', () => {
    const spec = parseSweepSpec({
      base: 'sparse-parity',
      axes: { trainer: [{ name: 'sgd', lr: 0.1 }, { name: 'sgd', lr: 0.01 }, 'adam'] },
    });
    expect(expandSweep(spec).map((j) => j.label)).toEqual([
      'trainer=sgd{"lr":0.1}',
      'trainer=sgd{"lr":0.01}',
      'trainer=adam',
    ]);
  });

  it('says how many more cells have problems past the first 20', () => {
    const spec = parseSweepSpec({ base: 'sparse-parity', axes: { 'trainer.lr': [-1], 'task.n': '10..34' } });
    const issues = (() => {
      try {
        expandSweep(spec);
        return [];
      } catch (e) {
        return (e as ConfigError).issues;
      }
    })();
    expect(issues).toHaveLength(21);
    expect(issues[20]).toEqual({ path: '…', message: 'and 5 more problems in other cells' });
  });

  it('a base that extends something other than a preset name is an error at base.extends', () => {
    expect(() => parseSweepSpec({ base: { extends: 5 }, axes: { seed: '0..1' } })).toThrow(
      new ConfigError([{ path: 'base.extends', message: 'expected a preset name like "sparse-parity", but got 5' }]),
    );
  });

  it('cells that come out as the same run are an error naming the axis that changes nothing', () => {
    const spec = parseSweepSpec({ base: 'sparse-parity', axes: { 'task.n': [20, 30], task: ['sparse-parity'] } });
    expect(() => expandSweep(spec)).toThrow(
      new ConfigError([
        {
          path: '[task.n=30 task=sparse-parity]',
          message:
            'the same run as [task.n=20 task=sparse-parity]: task.n changes nothing here (a later axis overwrites it, or no run reads it); remove that axis or the one that overwrites it',
        },
      ]),
    );
  });

  it('an axis may set one element of a list, as --set does', () => {
    const jobs = expandSweep(parseSweepSpec({ base: 'sparse-parity', axes: { 'model.widths.0': [64, 128] } }));
    expect(jobs.map((j) => [j.label, j.config.model?.widths])).toEqual([
      ['model.widths.0=64', [64]],
      ['model.widths.0=128', [128]],
    ]);
  });

  it('invalid cells are reported with their label', () => {
    expect(() => expandSweep(parseSweepSpec({ base: 'sparse-parity', axes: { 'trainer.lr': [0.1, -1] } }))).toThrow(
      /\[trainer\.lr=-1\] trainer\.lr: expected a number > 0/,
    );
  });
});

describe('expandSweep', () => {
  it('is complete (the full product) and deterministic, last axis fastest, with stable distinct ids', () => {
    const jobs = expandSweep(parseSweepSpec(raw));
    expect(jobs).toHaveLength(2 * 2 * 3);
    expect(jobs.map((j) => j.label).slice(0, 4)).toEqual([
      'task.n=20 trainer=sgd seed=0',
      'task.n=20 trainer=sgd seed=1',
      'task.n=20 trainer=sgd seed=2',
      'task.n=20 trainer=adam{"lr":0.001} seed=0',
    ]);
    expect(new Set(jobs.map((j) => j.id)).size).toBe(12);
    expect(expandSweep(parseSweepSpec(structuredClone(raw))).map((j) => j.id)).toEqual(jobs.map((j) => j.id));
    const adam = jobs.find((j) => j.label === 'task.n=30 trainer=adam{"lr":0.001} seed=2');
    expect(adam?.config.trainer).toEqual({
      name: 'adam',
      lr: 0.001,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-8,
      weightDecay: 0,
      loss: 'mse',
    });
    expect(adam?.config.task.n).toBe(30);
    expect(adam?.config.run.seed).toBe(2);
    expect(adam?.config.run.replicas).toBe(1);
  });
});

describe('packJobs', () => {
  it('packs consecutive seeds of the same config into replicas, and only those', () => {
    const jobs = expandSweep(
      parseSweepSpec({ base: 'sparse-parity', axes: { 'task.n': [10, 12], seed: [0, 1, 2, 5, 6] } }),
    );
    const runs = packJobs(jobs);
    expect(runs.map((r) => [r.config.task.n, r.config.run.seed, r.config.run.replicas])).toEqual([
      [10, 0, 3],
      [10, 5, 2],
      [12, 0, 3],
      [12, 5, 2],
    ]);
    expect(runs.flatMap((r) => r.jobIds).sort()).toEqual(jobs.map((j) => j.id).sort());
    expect(packJobs(jobs, 2).map((r) => r.config.run.replicas)).toEqual([2, 1, 2, 2, 1, 2]);
  });

  it('never packs runs whose trainer has its own seed: replica r would get seed + r, a separate job the seed', () => {
    const jobs = expandSweep(
      parseSweepSpec({ base: { extends: 'align-mnist', trainer: { name: 'dfa', seed: 5 } }, axes: { seed: '0..2' } }),
    );
    expect(packJobs(jobs).map((r) => r.config.run.replicas)).toEqual([1, 1, 1]);
    const unseeded = expandSweep(
      parseSweepSpec({ base: { extends: 'align-mnist', trainer: { name: 'dfa' } }, axes: { seed: '0..2' } }),
    );
    expect(packJobs(unseeded).map((r) => r.config.run.replicas)).toEqual([3]);
  });

  it('never packs runs without a network (stream learners read a single stream)', () => {
    const jobs = expandSweep(parseSweepSpec({ base: 'parity-elimination', axes: { seed: '0..2' } }));
    expect(packJobs(jobs).map((r) => r.config.run.replicas)).toEqual([1, 1, 1]);
  });
});

describe('aggregateSweep', () => {
  /** A spec's jobs and the runs they pack into. */
  const grid = (raw: Record<string, unknown>) => {
    const spec = parseSweepSpec(raw);
    const jobs = expandSweep(spec);
    return { spec, jobs, runs: packJobs(jobs) };
  };

  it('gives per-cell and per-axis medians and success rates from the replicas of packed runs', () => {
    const { spec, jobs, runs } = grid({ base: 'sparse-parity', axes: { 'task.n': [10, 12], seed: '0..3' } });
    const summary = (learned: (number | null)[]): RunSummary =>
      ({
        status: 'completed',
        steps: 1000,
        wallSeconds: 8,
        replicas: learned.map((s, r) => ({
          replica: r,
          seed: r,
          learnedAtStep: s,
          learnedAtSamples: null,
          testAccuracy: s === null ? 0.5 : 1,
          testError: s === null ? 0.5 : 0,
          finalLoss: 0,
        })),
      }) as unknown as RunSummary;
    const results = [
      ...jobResults(runs[0] as PackedRun, summary([100, 300, 200, null])),
      ...jobResults(runs[1] as PackedRun, summary([400, 500, 600, 700])),
    ];
    const a = aggregateSweep(spec, jobs, results);
    expect(
      a.groups.map((g) => [
        g.values['task.n'],
        g.learned,
        g.successRate,
        g.medianLearnedAtStep,
        g.medianWallSeconds,
        g.meanTestAccuracy,
        g.medianTestError,
      ]),
    ).toEqual([
      // The median counts the seed that did not learn as past the last step: (200 + 300) / 2, not
      // 200, the median of the three that learned.
      [10, 3, 0.75, 250, 2, 0.875, 0],
      [12, 4, 1, 550, 2, 1, 0],
    ]);
    // Half or fewer learned: no median learned-at-step, where the learned few would give one.
    const few = [
      ...jobResults(runs[0] as PackedRun, summary([100, null, null, 200])),
      ...jobResults(runs[1] as PackedRun, summary([null, null, null, 50])),
    ];
    expect(aggregateSweep(spec, jobs, few).groups.map((g) => g.medianLearnedAtStep)).toEqual([null, null]);
    expect(a.byAxis['task.n']).toEqual(a.groups);
    // A replica that diverged is counted: its last finite scores are in the cell's medians.
    const diverged = summary([100, 300, 200, null]);
    (diverged.replicas[3] as { divergedAtStep: number | null }).divergedAtStep = 800;
    const counted = aggregateSweep(spec, jobs, [...jobResults(runs[0] as PackedRun, diverged), ...results.slice(4)]);
    expect(counted.groups.map((g) => g.diverged)).toEqual([1, 0]);
    expect(a.groups.map((g) => g.diverged)).toEqual([0, 0]);
  });

  it('reads a record from before replicas failed alone (no divergedAtStep): a diverged run never learns', () => {
    // lr 3's run diverged whole at step 100, before any seed learned; lr 0.1's four learned at 500–800.
    const { spec, jobs, runs } = grid({
      base: 'sparse-parity',
      axes: { 'task.n': [10], 'trainer.lr': [0.1, 3], seed: '0..3' },
    });
    const summary = (status: string, steps: number, learned: (number | null)[]): RunSummary =>
      ({
        status,
        steps,
        wallSeconds: 4,
        replicas: learned.map((s, r) => ({ replica: r, seed: r, learnedAtStep: s, testAccuracy: 1, testError: 0 })),
      }) as unknown as RunSummary;
    const results = [
      ...jobResults(runs[0] as PackedRun, summary('completed', 1000, [500, 600, 700, 800])),
      ...jobResults(runs[1] as PackedRun, summary('diverged', 100, [null, null, null, null])),
    ];
    const a = aggregateSweep(spec, jobs, results);
    expect(a.groups.map((g) => g.diverged)).toEqual([0, 4]);
    // Pooled over lr: 4 of 8 learned. Read as watched to step 100 alone, the four would have left
    // the median to lr 0.1's seeds (650).
    expect(a.byAxis['task.n']?.[0]).toMatchObject({ learned: 4, jobs: 8, diverged: 4, medianLearnedAtStep: null });
  });

  it("pools budgets in a per-axis row without reading a short run's non-learners as never learning", () => {
    // task.n × run.steps: at 200 steps no seed learns; at 2,000 each learns between 700 and 900.
    const { spec, jobs, runs } = grid({
      base: 'sparse-parity',
      axes: { 'task.n': [10, 12], 'run.steps': [200, 2000], seed: '0..2' },
    });
    expect(runs.map((r) => [r.config.task.n, r.config.run.steps])).toEqual([
      [10, 200],
      [10, 2000],
      [12, 200],
      [12, 2000],
    ]);
    const summary = (steps: number, learned: (number | null)[]): RunSummary =>
      ({
        status: 'completed',
        steps,
        wallSeconds: 3,
        replicas: learned.map((s, r) => ({ replica: r, seed: r, learnedAtStep: s, testAccuracy: 1, finalLoss: 0 })),
      }) as unknown as RunSummary;
    const results = [
      ...jobResults(runs[0] as PackedRun, summary(200, [null, null, null])),
      ...jobResults(runs[1] as PackedRun, summary(2000, [700, 800, 900])),
      ...jobResults(runs[2] as PackedRun, summary(200, [null, null, null])),
      ...jobResults(runs[3] as PackedRun, summary(2000, [null, 900, 1000])),
    ];
    const a = aggregateSweep(spec, jobs, results);
    expect(a.groups.map((g) => g.medianLearnedAtStep)).toEqual([null, 800, null, 1000]);
    // n = 10 pools 3 jobs stopped at 200 with 3 that learned at 700, 800, 900: the median is 800,
    // where counting the stopped ones as never would give none. n = 12: of the three jobs still
    // watched past 200, ⅔ remain after 900 and ⅓ after 1,000, so the median is 1,000.
    expect(a.byAxis['task.n']?.map((g) => g.medianLearnedAtStep)).toEqual([800, 1000]);
    expect(a.byAxis['run.steps']?.map((g) => g.medianLearnedAtStep)).toEqual([null, 900]);
  });

  it('counts a replica that diverged as never learning, though its run ended early', () => {
    // trainer.lr × seeds: at lr 0.1 the seeds learn at 700, 800, 900; at lr 100 every replica
    // diverges at step 50, which ends that run there. Frozen, they would never learn: the task.n
    // row is 3 of 6 learned and has no median, where censoring them at 50 would give 800.
    const { spec, jobs, runs } = grid({
      base: 'sparse-parity',
      axes: { 'task.n': [10], 'trainer.lr': [0.1, 100], seed: '0..2' },
    });
    const replica = (learnedAtStep: number | null, divergedAtStep: number | null, r: number) => ({
      replica: r,
      seed: r,
      learnedAtStep,
      divergedAtStep,
      testAccuracy: 1,
      finalLoss: 0,
    });
    const summary = (steps: number, replicas: ReturnType<typeof replica>[]): RunSummary =>
      ({ status: 'completed', steps, wallSeconds: 3, replicas }) as unknown as RunSummary;
    const results = [
      ...jobResults(
        runs[0] as PackedRun,
        summary(
          2000,
          [700, 800, 900].map((s, r) => replica(s, null, r)),
        ),
      ),
      ...jobResults(
        runs[1] as PackedRun,
        summary(
          50,
          [0, 1, 2].map((r) => replica(null, 50, r)),
        ),
      ),
    ];
    const a = aggregateSweep(spec, jobs, results);
    expect(a.byAxis['task.n']?.map((g) => [g.learned, g.jobs, g.diverged, g.medianLearnedAtStep])).toEqual([
      [3, 6, 3, null],
    ]);
  });

  it("judges a run of stream learners alone by its learners: learned once every one has, at the last one's step", () => {
    const { spec, jobs, runs } = grid({
      base: { extends: 'parity-elimination', run: { batchSize: 4 } },
      axes: { 'task.n': [16, 24], seed: '0..1' },
    });
    const learner = (learnedAtSample: number | null) => ({
      name: 'gf2-elimination',
      learnedAtSample,
      samplesSeen: 40,
      testAccuracy: learnedAtSample === null ? 0.5 : 1,
    });
    const summary = (...samples: (number | null)[]): RunSummary =>
      ({
        status: 'completed',
        steps: 40,
        wallSeconds: 2,
        testAccuracy: samples.every((s) => s !== null) ? 1 : 0.75,
        replicas: [],
        learners: samples.map(learner),
      }) as unknown as RunSummary;
    // Samples 17 and 18 at batch 4 are steps 5 and 5; 25 and 25, steps 7; a second learner at 30, step 8.
    const results = [
      ...jobResults(runs[0] as PackedRun, summary(17)),
      ...jobResults(runs[1] as PackedRun, summary(18)),
      ...jobResults(runs[2] as PackedRun, summary(25, 30)),
      ...jobResults(runs[3] as PackedRun, summary(25, null)),
    ];
    expect(results.map((r) => [r.learnedAtStep, r.testAccuracy, r.testError])).toEqual([
      [5, 1, 0],
      [5, 1, 0],
      [8, 1, 0],
      [null, 0.75, 0.25],
    ]);
    const a = aggregateSweep(spec, jobs, results);
    expect(a.groups.map((g) => [g.values['task.n'], g.learned, g.successRate])).toEqual([
      [16, 2, 1],
      [24, 1, 0.5],
    ]);
  });
});
