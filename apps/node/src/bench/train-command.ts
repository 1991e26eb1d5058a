import * as tf from '@tensorflow/tfjs-core';
import { setupBackend } from '@learnability/backends';
import { BACKEND_REQUESTS, KERNELS } from '@learnability/presets';
import type { Io } from '../io.js';
import { formatTable } from '../render/table.js';
import { flagHelp, parseSchemaFlags } from '../schema-flags.js';
import type { FlagSpecs } from '../schema-flags.js';
import { blasWords, pythonHas, runPythonReference } from './python-reference.js';
import type { Reference } from './python-reference.js';

import type { TrainCase } from './train-bench.js';
import { formatRatio, formatStats } from './stats.js';
import { TRAIN_CASES, timeRun, timeTraining, trainStepOf } from './train-bench.js';
import { summarizeSamples } from '@learnability/core';
import type { SampleSummary } from '@learnability/core';

const FLAGS = {
  backend: { type: 'enum', values: BACKEND_REQUESTS, default: 'auto', doc: 'backend of our runs' },
  steps: { type: 'int', default: 500, min: 1, doc: 'steps per timed block of the single models' },
  repeats: { type: 'int', default: 5, min: 1, doc: 'timed blocks per figure (median and min–max)' },
  replicas: { type: 'int[]', default: [16, 32], min: 1, doc: 'replica counts R trained as one program' },
  'replica-steps': { type: 'int', default: 2000, min: 1, doc: 'steps of the one timed run of the largest R' },
  generic: { type: 'bool', default: false, doc: "time the generic TF.js step (the dense model's fused step off)" },
  rounds: {
    type: 'int',
    default: 3,
    min: 1,
    max: 100,
    doc: 'rounds of the single models, ours then PyTorch; each ratio is one round’s, and the median of the rounds’ ratios is reported with their range',
  },
  'no-torch': { type: 'bool', default: false, doc: 'skip the PyTorch reference' },
} as const satisfies FlagSpecs;

const HELP = `learnability bench train [options] [--json]

Training steps/s of the sparse-parity model (n=50 → 1000 → 1, hinge, SGD, batch 32) and a
50→512→512→1 MSE MLP (batch 64), then the sparse-parity model with R replicas as one program:
replica-steps/s and the speed-up over R separate runs (R × the single model's time, timed in
blocks as long just before each R; each block is a quarter of --steps, at least 20), and the wall time of one
run of the largest R for --replica-steps steps. With Debian's python3-torch, the same models in
PyTorch on the CPU (bench/torch_mlp.py; whatever --backend is: bench gpu compares with CUDA) in
the same invocation, and the ratios: steps/s ours over
PyTorch's, and PyTorch's best replica time (stacked weights + bmm) over ours (> 1: we are
faster). The single models run in --rounds rounds, ours then PyTorch's, and each ratio is taken
within a round: on a shared machine whose speed drifts over minutes, a pair measured a few
seconds apart shares its state, where two measurements minutes apart may not; the report gives
the median of the rounds' ratios and their range, and steps/s pooled over the rounds. The
replicas are timed once, after the rounds, ours then PyTorch's. --generic times the generic TF.js step (the
dense model's fused step turned off), for comparison.

${flagHelp(FLAGS)}`;

interface TorchResult {
  torch: string;
  threads: number;
  blas: string;
  /** The threads OpenBLAS ran on (absent in references from before it was reported). */
  blasThreads?: number;
  /** Absent when asked for the replicas alone (`--repeats 0`). */
  parityStepsPerSecond?: TorchStats;
  mlp512StepsPerSecond?: TorchStats;
  replicas?: {
    replicas: number;
    steps: number;
    sequentialSeconds: number;
    batchedSeconds: number;
    /** The OpenBLAS threads each way ran on, the faster of 1 and its pool (absent off OpenBLAS). */
    sequentialBlasThreads?: number;
    batchedBlasThreads?: number;
  };
}

/** A reference figure, with the OpenBLAS threads it was taken on (the faster of 1 and its pool; absent off OpenBLAS). */
type TorchStats = SampleSummary & { blasThreads?: number };

export async function benchTrainCommand(argv: string[], io: Io): Promise<number> {
  const parsed = parseSchemaFlags('bench train', argv, FLAGS);
  if (parsed.help) return (io.out(HELP), 0);
  const values = parsed.values;
  const { steps, repeats, replicas: replicaCounts, 'replica-steps': replicaSteps } = values;
  const backend = await setupBackend(values.backend, { kernels: KERNELS });

  const cases: TrainCase[] = TRAIN_CASES.map((c) => ({ ...c, generic: values.generic }));
  const torchMissing = values['no-torch'] ? '--no-torch' : pythonHas('torch');
  // Without the reference there is no ratio to pair: one round.
  const roundCount = torchMissing === null ? values.rounds : 1;
  const roundsGiven = argv.some((a) => a === '--rounds' || a.startsWith('--rounds='));
  if (torchMissing !== null && roundsGiven && values.rounds > 1)
    io.err(`bench train: one round, not ${values.rounds}: ${torchMissing}`);
  const torchRun = (args: string[]): Reference<TorchResult> => {
    try {
      return runPythonReference<TorchResult>('torch', 'torch_mlp.py', args);
    } catch (error) {
      // One failed reference run costs its round, not the rounds already measured.
      return { available: false, reason: `bench/torch_mlp.py failed: ${String(error).split('\n')[0]}` };
    }
  };
  const rounds: Round[] = [];
  const refs: Reference<TorchResult>[] = [];
  for (let r = 1; r <= roundCount; r++) {
    const round = roundCount > 1 ? `round ${r}/${roundCount}: ` : '';
    const ours: SampleSummary[] = [];
    for (const c of cases) {
      io.status(`${round}timing ${c.label} on ${backend.name}…`);
      ours.push(await timeTraining(c, 1, steps, repeats));
    }
    let torch: Round['torch'] = null;
    if (torchMissing === null) {
      io.status(`${round}running the PyTorch reference (bench/torch_mlp.py)…`);
      const ref = torchRun(['--steps', String(steps * 2), '--repeats', String(repeats), '--replicas', '0']);
      if (ref.available)
        torch = [ref.result.parityStepsPerSecond as SampleSummary, ref.result.mlp512StepsPerSecond as SampleSummary];
      else io.err(`bench train: ${round}no PyTorch figures: ${ref.reason}`);
      refs.push(ref);
    }
    rounds.push({ ours: ours as [SampleSummary, SampleSummary], torch });
  }
  // Every round's blocks, pooled: the steps/s shown beside the ratios.
  const pooled = (side: 'ours' | 'torch', i: number) =>
    summarizeSamples(rounds.flatMap((r) => (side === 'ours' ? r.ours[i] : r.torch?.[i])?.samples ?? []));
  const single = cases.map((c, i) => ({ model: c.label, stepsPerSecond: pooled('ours', i) }));
  const paired = rounds.some((r) => r.torch !== null);
  const ratios = paired ? cases.map((_, i) => roundRatios(rounds, i)) : null;
  // The replicas after the rounds, one timed run each, ours then PyTorch's.
  const parityCase = cases[0] as TrainCase;
  const sizes = { steps, repeats, replicaCounts, replicaSteps };
  const { replicated, run } = await timeReplicas(io, backend.name, parityCase, sizes);
  let torchReplicas: TorchResult['replicas'];
  if (torchMissing === null) {
    io.status('running the PyTorch reference for the replicas (bench/torch_mlp.py)…');
    const ref = torchRun([
      '--repeats',
      '0',
      '--replicas',
      String(run.replicas),
      '--replica-steps',
      String(replicaSteps),
    ]);
    if (ref.available) torchReplicas = ref.result.replicas;
    else io.err(`bench train: no PyTorch replica figure: ${ref.reason}`);
  }
  io.status('');
  // PyTorch's side as one result: its set-up (versions, threads, BLAS) from the first round it ran
  // in, else why it did not run; its pooled single-model figures; its replica run.
  const torchInfo = refs.find((r) => r.available) ??
    refs[0] ?? { available: false as const, reason: torchMissing ?? 'no reference run' };
  const torch: Reference<TorchResult> = torchInfo.available
    ? {
        available: true,
        result: {
          ...torchInfo.result,
          parityStepsPerSecond: pooled('torch', 0),
          mlp512StepsPerSecond: pooled('torch', 1),
          ...(torchReplicas ? { replicas: torchReplicas } : {}),
        },
      }
    : torchInfo;
  const trainSteps = [];
  for (const c of cases) trainSteps.push({ model: c.label, ...(await trainStepOf(c)) });
  const result = {
    benchmark: 'train',
    backend: backend.name,
    tfjs: tf.version_core,
    steps,
    repeats,
    single,
    replicated,
    /** Each round's steps/s of the two single models, ours and PyTorch's (null: its reference run failed); `single` and `torch` pool them. */
    rounds,
    torch: torch.available ? torch.result : { available: false, reason: torch.reason },
    /** Ours over PyTorch's steps/s, the median of the rounds' ratios (`ratiosVsTorch`: each model's median and range). */
    ratioVsTorch: ratios?.[0]?.median ?? null,
    ratioVsTorchMlp512: ratios?.[1]?.median ?? null,
    ratiosVsTorch: ratios,
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
    `backend ${backend.name}${backend.threads ? `, ${backend.threads} thread(s)` : ''}; steps/s: medians (min–max) over ${rounds.length} round(s) × ${repeats} blocks of ${steps} steps (PyTorch: of ${steps * 2}); ratio: ours ÷ PyTorch${rounds.length > 1 ? ", the median (min–max) of the rounds' ratios" : ''}`,
  );
  const rows = single.map((s, i) => {
    const ref = paired ? pooled('torch', i) : null;
    const ratio = ratios?.[i];
    return [s.model, formatStats(s.stepsPerSecond), ref ? formatStats(ref) : '—', formatRatio(ratio ?? null)];
  });
  io.out(formatTable(['model', `learnability (${backend.name}) steps/s`, 'PyTorch (CPU) steps/s', 'ratio'], rows));
  io.out('');
  io.out(
    formatTable(
      ['replicas', 'steps/s', 'replica-steps/s', 'one model just before, steps/s', 'speed-up vs separate runs'],
      replicated.map((r) => [
        String(r.replicas),
        formatStats(r.stepsPerSecond),
        r.replicaStepsPerSecond.toFixed(0),
        formatStats(r.singleStepsPerSecond),
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
  if (torch.available) {
    io.out(
      `PyTorch ${torch.result.torch}, ${torch.result.threads} torch thread(s), ${blasWords(torch.result.blas, torch.result.blasThreads)}`,
    );
    // bench/torch_mlp.py times each model (and each way of running the replicas) on 1 OpenBLAS
    // thread and on its pool, and keeps the faster, as our step keeps the faster of one thread and two.
    const chosen = (i: number) => rounds.map((r) => (r.torch?.[i] as TorchStats | undefined)?.blasThreads ?? '—');
    const t = torch.result.replicas;
    if (chosen(0).some((n) => n !== '—') || t?.batchedBlasThreads !== undefined)
      io.out(
        `OpenBLAS threads chosen (the faster of 1 and its pool): parity ${chosen(0).join(', ')}; 512-wide ${chosen(1).join(', ')} (by round); replicas batched ${t?.batchedBlasThreads ?? '—'}, one after another ${t?.sequentialBlasThreads ?? '—'}`,
      );
  }
  for (const t of trainSteps)
    io.out(`training step, ${t.model}: ${t.trainStep}; ${t.kernelsPerStep} kernel launch(es) a step`);
  return 0;
}

/** One round: the single models' steps/s, ours and (null when skipped) PyTorch's, in `TRAIN_CASES` order. */
export interface Round {
  ours: [SampleSummary, SampleSummary];
  torch: [SampleSummary, SampleSummary] | null;
}

interface Replicated {
  replicas: number;
  stepsPerSecond: SampleSummary;
  replicaStepsPerSecond: number;
  /** The single model's steps/s, in blocks as long, timed just before these replicas. */
  singleStepsPerSecond: SampleSummary;
  speedupVsSeparateRuns: number;
}

type ReplicaRun = { replicas: number; steps: number } & Awaited<ReturnType<typeof timeRun>>;

/** Ours over PyTorch's median steps/s of model `i` in each round, and their median and range. */
export function roundRatios(rounds: readonly Round[], i: number): SampleSummary {
  return summarizeSamples(
    rounds.flatMap((r) =>
      r.torch ? [(r.ours[i] as SampleSummary).median / (r.torch[i] as SampleSummary).median] : [],
    ),
  );
}

/**
 * The parity model with R replicas as one program, for each R (blocks of a quarter of the steps,
 * at least 20), with the speed-up over R separate runs against the single model timed in blocks as
 * long just before: a pair minutes apart, or of blocks four times as long, would fold the
 * machine's drift and the per-block costs into the ratio. Then one run of the largest R for the
 * replica steps.
 */
async function timeReplicas(
  io: Io,
  backend: string,
  parityCase: TrainCase,
  {
    steps,
    repeats,
    replicaCounts,
    replicaSteps,
  }: { steps: number; repeats: number; replicaCounts: number[]; replicaSteps: number },
): Promise<{ replicated: Replicated[]; run: ReplicaRun }> {
  const replicated: Replicated[] = [];
  const block = Math.max(20, Math.round(steps / 4));
  for (const R of replicaCounts) {
    io.status(`timing 1 then ${R} replicas on ${backend}…`);
    const single = await timeTraining(parityCase, 1, block, repeats);
    const s = await timeTraining(parityCase, R, block, repeats);
    replicated.push({
      replicas: R,
      stepsPerSecond: s,
      replicaStepsPerSecond: s.median * R,
      singleStepsPerSecond: single,
      speedupVsSeparateRuns: (s.median * R) / single.median,
    });
  }
  const maxReplicas = Math.max(...replicaCounts);
  io.status(`timing one run of ${maxReplicas} replicas × ${replicaSteps} steps on ${backend}…`);
  const run = { replicas: maxReplicas, steps: replicaSteps, ...(await timeRun(parityCase, maxReplicas, replicaSteps)) };
  return { replicated, run };
}

/** PyTorch's faster way to train the replicas: batched (bmm) or one network after another. */
function torchBestSeconds(t: { batchedSeconds: number; sequentialSeconds?: number }): number {
  return Math.min(t.batchedSeconds, t.sequentialSeconds ?? Number.POSITIVE_INFINITY);
}
