/**
 * Goel, Kakade, Kalai, Zhang 2022 against GF(2) elimination, as data: the RCNN and the dense MLP
 * per parity (and the in-context RCNN) are runs on the sweep pool, each with a wall-clock budget;
 * elimination and the in-context baselines are measured here; the tables and the figure come
 * from the runs' records. (The memory of deep unrolls is a benchmark: learnability bench unroll.)
 */
import { resolve } from '@learnability/presets';
import { namedExperiment, presetConfig as preset } from './data-experiment.js';
import type { DataExperiment, Flags, RunPlan } from './data-experiment.js';
import { wasmThreadsFlag } from '../schema-flags.js';
import type { FlagSpecs } from '../schema-flags.js';
import { runElimination } from './rcnn-vs-elimination/elimination.js';
import type { EliminationRun } from './rcnn-vs-elimination/elimination.js';
import { raceSpec } from './rcnn-vs-elimination/figures.js';
import { IN_CONTEXT_PRESET, inContextElimination } from './rcnn-vs-elimination/in-context.js';
import { DIRECT_TABLE_NOTE, directTable, inContextTable } from './rcnn-vs-elimination/report.js';
import type { DirectRow, Family, InContextResult, Results } from './rcnn-vs-elimination/results.js';
import { networkRun } from './rcnn-vs-elimination/train.js';

const NAME = 'rcnn-vs-elimination';
const NETWORKS = { rcnn: 'rcnn-parity', dense: 'sparse-parity' } as const;

const FLAGS = {
  sizes: { type: 'ints', default: [4, 8, 12, 16, 24, 32], min: 1, doc: "n for sparse parity ('' skips it)" },
  k: { type: 'int', default: 3, min: 1, doc: 'sparse parity degree' },
  'full-sizes': { type: 'ints', default: [4, 8, 12, 16], min: 1, doc: "n for full parity k = n ('' skips it)" },
  'mlp-trainer': {
    type: 'enum',
    values: ['adam', 'sgd'],
    default: 'adam',
    doc: "the MLP's trainer: the RCNN's Adam (compares architectures) or Barak et al.'s SGD (hinge, lr 0.1, wd 0.01)",
  },
  replicas: { type: 'int', default: 2, min: 1, doc: 'networks per learner and parity' },
  'max-steps': { type: 'int', default: 50_000, min: 1, doc: 'step budget per network run (batch 32)' },
  'max-seconds': {
    type: 'int',
    default: 120,
    min: 1,
    doc: 'wall-clock budget per network run, at each evaluation (in-context: 3×)',
  },
  trials: { type: 'int', default: 200, min: 1, doc: 'elimination streams per parity' },
  delta: {
    type: 'number',
    default: 0.01,
    min: 0,
    max: 1,
    exclusiveMin: true,
    doc: 'failure probability δ of the elimination bound',
  },
  'in-context-steps': { type: 'int', default: 5_000, min: 0, doc: 'steps of the in-context run (0 skips it)' },
  threads: {
    ...wasmThreadsFlag('wasm threads per run (these kernels are tiny, and the machine is shared)'),
    default: 1,
  },
} as const satisfies FlagSpecs;

type F = Flags<typeof FLAGS>;
interface Parity {
  family: Family;
  n: number;
  k: number;
}
interface Measured {
  elimination: Map<string, EliminationRun>;
  paramCounts: Map<string, number>;
  inContext: Omit<InContextResult, 'rcnn'> | null;
}

const parities = (f: F): Parity[] => [
  ...f.sizes.map((n) => ({ family: 'sparse' as const, n, k: f.k })),
  ...f['full-sizes'].map((n) => ({ family: 'full' as const, n, k: n })),
];
const key = (network: string, p: Parity) => `${network} ${p.family} n=${p.n}`;

const experiment: DataExperiment<typeof FLAGS, Measured> = {
  name: NAME,
  summary:
    'RCNN vs dense MLP vs GF(2) elimination on sparse and full parity: samples and time to learn (Goel et al. 2022)',
  about: `Goel, Kakade, Kalai, Zhang 2022 (PAPERS.md §2) against GF(2) Gaussian elimination: on sparse
and full parity for growing n, samples and wall time to learn (networks: 99% test accuracy;
elimination: its basis reaches rank n) for the RCNN (preset
rcnn-parity: Adam 3e-3 on the squared error), the dense MLP (preset sparse-parity: Barak et
al.'s width-1000 ReLU net, trained with the RCNN's Adam by default, or with the preset's SGD) and
elimination (n + ⌈log₂(1/δ)⌉ samples in theory; measured on fresh streams). Then the
in-context use (preset ${IN_CONTEXT_PRESET}) against elimination run inside each prompt.
Writes a figure, markdown tables and a JSON file. A run stopped by its time budget resumes when
the command is repeated. (The memory of deep unrolls, plain and checkpointed: learnability bench
unroll.)`,
  flags: FLAGS,
  readsCheckpoints: false,
  check: (f) => {
    const bad = f.sizes.find((n) => n < f.k);
    return [
      ...(bad === undefined ? [] : [`--sizes: every sparse size must be ≥ k = ${f.k}, but got ${bad}`]),
      ...(f.delta < 1 ? [] : [`--delta: must be in (0, 1), but got ${f.delta}`]),
    ];
  },
  runs: (f) => {
    const common = [
      `run.replicas=${f.replicas}`,
      `run.seed=${f.seed}`,
      `run.steps=${f['max-steps']}`,
      'run.evalEvery=50',
      'run.testSize=1000',
      `backend="${f.backend}"`,
    ];
    // The RCNN's trainer (preset rcnn-parity), or the sparse-parity preset's own SGD.
    const mlpSets = f['mlp-trainer'] === 'adam' ? ['trainer={"name":"adam","lr":0.003,"loss":"mse"}'] : [];
    const direct = parities(f).flatMap((p): RunPlan[] => {
      const task = [`task.n=${p.n}`, `task.k=${p.k}`, `task.seed=${f.seed}`, 'learners=[]', ...common];
      return [
        { key: key('rcnn', p), config: preset(NETWORKS.rcnn, task), maxSeconds: f['max-seconds'] },
        { key: key('dense', p), config: preset(NETWORKS.dense, [...task, ...mlpSets]), maxSeconds: f['max-seconds'] },
      ];
    });
    if (f['in-context-steps'] === 0) return direct;
    const sets = [
      'run.replicas=1',
      `run.seed=${f.seed}`,
      `run.steps=${f['in-context-steps']}`,
      `backend="${f.backend}"`,
    ];
    return [
      ...direct,
      { key: 'in-context', config: preset(IN_CONTEXT_PRESET, sets), maxSeconds: 3 * f['max-seconds'] },
    ];
  },
  measure: async (f, io, runs) => {
    const elimination = new Map<string, EliminationRun>();
    for (const p of parities(f)) {
      io.status(`${p.family} parity n=${p.n}: elimination…`);
      elimination.set(key('', p), runElimination(p.n, p.k, f.trials, f.delta, f.seed));
    }
    // Parts hold no data until a run starts: resolving them only counts parameters.
    const paramCounts = new Map([...runs].map(([k, r]) => [k, resolve(r.config).model?.paramCount ?? 0]));
    const inContextConfig = runs.get('in-context')?.config;
    io.status(inContextConfig ? 'elimination inside each in-context prompt…' : '');
    const inContext = inContextConfig ? inContextElimination(inContextConfig) : null;
    io.status('');
    return { elimination, paramCounts, inContext };
  },
  report: ({ flags: f, records, measured, backend }) => {
    const network = (name: keyof typeof NETWORKS | 'in-context', p?: Parity) => {
      const k = p ? key(name, p) : name;
      const record = records.get(k);
      if (!record) throw new Error(`${NAME}: run "${k}" has no record`);
      return networkRun(
        name === 'in-context' ? IN_CONTEXT_PRESET : NETWORKS[name],
        measured.paramCounts.get(k) ?? 0,
        record,
      );
    };
    const direct: DirectRow[] = parities(f).map((p) => {
      const elimination = measured.elimination.get(key('', p));
      if (!elimination) throw new Error(`${NAME}: no elimination run for ${key('', p)}`);
      return { ...p, elimination, rcnn: network('rcnn', p), dense: network('dense', p) };
    });
    const inContext = measured.inContext ? { ...measured.inContext, rcnn: network('in-context') } : null;
    const mlpTrainer = f['mlp-trainer'];
    const title = `RCNN vs dense MLP (${mlpTrainer}) vs GF(2) elimination (${backend}, ${f.replicas} replicas, budget ${f['max-steps']} steps / ${f['max-seconds']} s per run)`;
    const tables = [
      ...(direct.length
        ? [
            `### Samples and wall time to learn (networks: 99% test accuracy; elimination: rank n) (δ = ${f.delta}; MLP trained with ${mlpTrainer})\n\n${directTable(direct)}\n\n${DIRECT_TABLE_NOTE(direct[0]?.rcnn.firstEvalSamples ?? 0)}`,
          ]
        : []),
      ...(inContext ? [`### In-context parity\n\n${inContextTable(inContext)}`] : []),
    ].join('\n\n');
    return {
      tables: `${tables}\n`,
      figures: direct.length ? [[NAME, raceSpec(direct, title)]] : [],
      results: { mlpTrainer, direct, inContext } satisfies Results,
    };
  },
};

export const rcnnVsElimination = namedExperiment(experiment);
