import * as tf from '@tensorflow/tfjs-core';
import { setupBackend } from '@learnability/backends';
import { BACKEND_NAMES, KERNELS } from '@learnability/presets';
import type { Io } from '../io.js';
import { formatTable } from '../render/table.js';
import { flagHelp, parseSchemaFlags } from '../schema-flags.js';
import type { FlagSpecs } from '../schema-flags.js';
import { blasWords, runPythonReference } from './python-reference.js';
import type { Stats } from './stats.js';
import type { TrainCase } from './train-bench.js';
import { formatStats } from './stats.js';
import { TRAIN_CASES, timeRun, timeTraining, trainStepOf } from './train-bench.js';

const FLAGS = {
  backend: { type: 'enum', values: BACKEND_NAMES, default: 'auto', doc: 'backend of our runs' },
  steps: { type: 'int', default: 500, min: 1, doc: 'steps per timed block of the single models' },
  repeats: { type: 'int', default: 5, min: 1, doc: 'timed blocks per figure (median and min–max)' },
  replicas: { type: 'int[]', default: [16, 32], min: 1, doc: 'replica counts R trained as one program' },
  'replica-steps': { type: 'int', default: 2000, min: 1, doc: 'steps of the one timed run of the largest R' },
  generic: { type: 'bool', default: false, doc: "time the generic TF.js step (the dense model's fused step off)" },
  'no-torch': { type: 'bool', default: false, doc: 'skip the PyTorch reference' },
} as const satisfies FlagSpecs;

const HELP = `learnability bench train [options] [--json]

Training steps/s of the sparse-parity model (n=50 → 1000 → 1, hinge, SGD, batch 32) and a
50→512→512→1 MSE MLP (batch 64), then the sparse-parity model with R replicas as one program:
replica-steps/s and the speed-up over R separate runs (R × the single-model time, measured
in this run; each replica block is a quarter of --steps, at least 20), and the wall time of one
run of the largest R for --replica-steps steps. With Debian's python3-torch, the same models in
PyTorch (bench/torch_mlp.py) in the same invocation, and the ratios: steps/s ours over
PyTorch's, and PyTorch's best replica time (stacked weights + bmm) over ours (> 1: we are
faster). --generic times the generic TF.js step (the dense model's fused step turned off), for
comparison.

${flagHelp(FLAGS)}`;

interface TorchResult {
  torch: string;
  threads: number;
  blas: string;
  /** The threads OpenBLAS ran on (absent in references from before it was reported). */
  blasThreads?: number;
  parityStepsPerSecond: Stats;
  mlp512StepsPerSecond: Stats;
  replicas?: { replicas: number; steps: number; sequentialSeconds: number; batchedSeconds: number };
}

export async function benchTrainCommand(argv: string[], io: Io): Promise<number> {
  const parsed = parseSchemaFlags('bench train', argv, FLAGS);
  if (parsed.help) return (io.out(HELP), 0);
  const values = parsed.values;
  const { steps, repeats, replicas: replicaCounts, 'replica-steps': replicaSteps } = values;
  const backend = await setupBackend(values.backend, { kernels: KERNELS });

  const cases: TrainCase[] = TRAIN_CASES.map((c) => ({ ...c, generic: values.generic }));
  const single = [];
  for (const c of cases) {
    io.status(`timing ${c.label} on ${backend.name}…`);
    single.push({ model: c.label, stepsPerSecond: await timeTraining(c, 1, steps, repeats) });
  }
  const parity = single[0]?.stepsPerSecond as Stats;
  const replicated = [];
  for (const R of replicaCounts) {
    io.status(`timing ${R} replicas on ${backend.name}…`);
    const s = await timeTraining(cases[0] as TrainCase, R, Math.max(20, Math.round(steps / 4)), repeats);
    replicated.push({
      replicas: R,
      stepsPerSecond: s,
      replicaStepsPerSecond: s.median * R,
      speedupVsSeparateRuns: (s.median * R) / parity.median,
    });
  }
  const maxReplicas = Math.max(...replicaCounts);
  io.status(`timing one run of ${maxReplicas} replicas × ${replicaSteps} steps on ${backend.name}…`);
  const run = {
    replicas: maxReplicas,
    steps: replicaSteps,
    ...(await timeRun(cases[0] as TrainCase, maxReplicas, replicaSteps)),
  };
  const trainSteps = [];
  for (const c of cases) trainSteps.push({ model: c.label, ...(await trainStepOf(c)) });
  io.status(values['no-torch'] ? '' : 'running the PyTorch reference (bench/torch_mlp.py)…');
  const torch = values['no-torch']
    ? ({ available: false, reason: '--no-torch' } as const)
    : runPythonReference<TorchResult>('torch', 'torch_mlp.py', [
        '--steps',
        String(steps * 2),
        '--repeats',
        String(repeats),
        '--replicas',
        String(maxReplicas),
        '--replica-steps',
        String(replicaSteps),
      ]);
  io.status('');
  const torchParity = torch.available ? torch.result.parityStepsPerSecond.median : null;
  const result = {
    benchmark: 'train',
    backend: backend.name,
    tfjs: tf.version_core,
    steps,
    repeats,
    single,
    replicated,
    torch: torch.available ? torch.result : { available: false, reason: torch.reason },
    ratioVsTorch: torchParity === null ? null : parity.median / torchParity,
    ratioVsTorchMlp512: torch.available
      ? (single[1]?.stepsPerSecond.median ?? Number.NaN) / torch.result.mlp512StepsPerSecond.median
      : null,
    trainSteps,
    replicaRun: run,
    /** PyTorch's best wall time (batched or one after another) for the same replicas × steps over ours: > 1 means we are faster. */
    ratioVsTorchReplicas:
      torch.available && torch.result.replicas ? torchBestSeconds(torch.result.replicas) / run.seconds : null,
  };
  if (parsed.json) {
    io.out(JSON.stringify(result));
    return 0;
  }
  io.out(
    `backend ${backend.name}${backend.threads ? `, ${backend.threads} thread(s)` : ''}; medians (min–max) over ${repeats} blocks of ${steps} steps (PyTorch: of ${steps * 2})`,
  );
  const rows = single.map((s, i) => {
    const ref = torch.available
      ? i === 0
        ? torch.result.parityStepsPerSecond
        : torch.result.mlp512StepsPerSecond
      : null;
    return [
      s.model,
      formatStats(s.stepsPerSecond),
      ref ? formatStats(ref) : '—',
      ref ? `${(s.stepsPerSecond.median / ref.median).toFixed(2)}×` : '—',
    ];
  });
  io.out(formatTable(['model', 'learnability steps/s', 'PyTorch steps/s', 'ratio'], rows));
  io.out('');
  io.out(
    formatTable(
      ['replicas', 'steps/s', 'replica-steps/s', 'speed-up vs separate runs'],
      replicated.map((r) => [
        String(r.replicas),
        formatStats(r.stepsPerSecond),
        r.replicaStepsPerSecond.toFixed(0),
        `${r.speedupVsSeparateRuns.toFixed(1)}×`,
      ]),
    ),
  );
  io.out('');
  io.out(`learnability, ${run.replicas} replicas × ${run.steps} steps: ${run.seconds.toFixed(1)} s`);
  if (torch.available && torch.result.replicas) {
    const t = torch.result.replicas;
    io.out(
      `PyTorch, ${t.replicas} replicas × ${t.steps} steps: ${t.sequentialSeconds.toFixed(1)} s one after another, ${t.batchedSeconds.toFixed(1)} s batched (bmm); its best over ours: ${(torchBestSeconds(t) / run.seconds).toFixed(2)}×`,
    );
  } else if (!torch.available) io.out(`PyTorch reference skipped: ${torch.reason}`);
  if (torch.available)
    io.out(
      `PyTorch ${torch.result.torch}, ${torch.result.threads} torch thread(s), ${blasWords(torch.result.blas, torch.result.blasThreads)}`,
    );
  for (const t of trainSteps)
    io.out(`training step, ${t.model}: ${t.trainStep}; ${t.kernelsPerStep} kernel launch(es) a step`);
  return 0;
}

/** PyTorch's faster way to train the replicas: batched (bmm) or one network after another. */
function torchBestSeconds(t: { batchedSeconds: number; sequentialSeconds?: number }): number {
  return Math.min(t.batchedSeconds, t.sequentialSeconds ?? Number.POSITIVE_INFINITY);
}
