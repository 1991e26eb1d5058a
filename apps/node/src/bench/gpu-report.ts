import type { BackendInfo, GpuAdapterSummary } from '@learnability/backends';
import { formatTable } from '../render/table.js';
import type { FusedAgreement } from './fused-agreement.js';
import type { TorchGpuResult } from './gpu-reference.js';
import type { GpuUnit } from './gpu-measure.js';
import type { GpuRow, RoundRow } from './gpu-rounds.js';
import type { GpuBenchPlan } from './gpu-workloads.js';
import { blasWords } from './python-reference.js';
import { formatRatio } from './stats.js';
import type { SampleSummary } from '@learnability/core';

/** What `bench gpu --json` prints and the text report is drawn from. */
export interface GpuReport {
  backend: string;
  adapter: GpuAdapterSummary | null;
  driver: string | null;
  tfjs: string;
  trainStep: string;
  /** Per dense workload: the fused step against the generic one (null: no fused step taken here). */
  fusedAgreement: Record<string, FusedAgreement | null>;
  plan: GpuBenchPlan;
  /** One per workload, over every round (gpu-rounds.ts). */
  rows: GpuRow[];
  /** Each round's rows: our figure, the reference's and the ratio measured together. */
  rounds: Pick<RoundRow, 'workload' | 'ours' | 'reference' | 'ratio'>[][];
  /**
   * The reference's versions, device and BLAS; its figures are in `rounds` (each round's) and
   * `rows` (pooled), not here, where only one round's would fit.
   */
  torch: Omit<TorchGpuResult, 'workloads'> | { skipped: string };
  torchDevice: 'cuda' | 'cpu';
}

/** "nvidia / hopper / NVIDIA H200: 570.133.20, isFallbackAdapter false" */
export function formatAdapter(a: GpuAdapterSummary): string {
  return `${a.vendor || '?'} / ${a.architecture || '?'} / ${a.description || '?'}, isFallbackAdapter ${a.isFallbackAdapter}${a.isFallbackAdapter ? ' (a software adapter: not a GPU’s figures)' : ''}`;
}

/** The two start lines: where it runs (adapter, driver) and which training step the dense model takes. */
export function startLine(backend: BackendInfo, driver: string | null, trainStep: string): string {
  const where = backend.adapter
    ? `adapter ${formatAdapter(backend.adapter)}`
    : backend.threads !== undefined
      ? `${backend.threads} thread(s)${backend.simd ? ', SIMD' : ''}`
      : 'no adapter (CPU backend)';
  return `bench gpu on ${backend.name}: ${where}; driver: ${driver ?? 'not reported (no nvidia-smi)'}\ntraining step (sparse-parity model): ${trainStep}`;
}

/** "fused step vs generic TF.js, parity, same init and 20 batches: max |Δθ| 2.4e-7 (max |θ| 0.51), max |Δloss| 1.2e-7 (max loss 1.00): parameters agree" */
export function agreementLine(w: string, a: FusedAgreement | null, steps: number): string {
  if (a === null) return `fused step vs generic TF.js, ${w}: no fused step taken on this backend, nothing to compare`;
  const e = (v: number) => v.toExponential(1);
  return `fused step vs generic TF.js, ${w}, same init and ${steps} batches: max |Δθ| ${e(a.maxParamDiff)} (max |θ| ${num(a.maxParam)}), max |Δloss| ${e(a.maxLossDiff)} (max loss ${num(a.maxLoss)}): ${a.criterion} ${a.agrees ? 'agree' : 'DISAGREE'}`;
}

/** 3 significant digits, thousands separated: 0.00412, 1.05, 152, 3,512. */
function num(v: number): string {
  const digits =
    v >= 100 ? 0 : v >= 10 ? 1 : v >= 1 ? 2 : Math.min(6, 2 - Math.floor(Math.log10(Math.max(Math.abs(v), 1e-9))));
  return v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function cell(s: SampleSummary, unit: GpuUnit): string {
  return s.samples.length > 1 ? `${num(s.median)} (${num(s.min)}–${num(s.max)}) ${unit}` : `${num(s.median)} ${unit}`;
}

/** ", 1 BLAS thread(s)", or where rounds chose differently ", BLAS threads 1, 2, 1 by round". */
function blasCount(threads: number[] | undefined): string {
  if (!threads || threads.length === 0) return '';
  return new Set(threads).size === 1
    ? `, ${threads[0]} BLAS thread(s)`
    : `, BLAS threads ${threads.join(', ')} by round`;
}

/** The text report: the table, how to read the ratio, parameter counts, the run row's details, the reference. */
export function renderGpuReport(r: GpuReport): string[] {
  const p = r.plan;
  const lines: string[] = [];
  lines.push(
    formatTable(
      ['workload', `ours (${r.backend})`, 'reference', 'ratio'],
      r.rows.map((row) => [
        row.label,
        cell(row.ours, row.unit),
        row.reference
          ? `${cell(row.reference.value, row.unit)}, ${row.reference.name}${blasCount(row.reference.blasThreads)}`
          : '—',
        formatRatio(row.ratios),
      ]),
    ),
  );
  lines.push('');
  lines.push(
    'ratio > 1: ours is faster (ours ÷ PyTorch for steps/s and TFLOP/s; PyTorch’s wall ÷ ours for wall times; for run, the reference backend’s wall ÷ ours).',
  );
  if (p.rounds > 1)
    lines.push(
      `ratio: the median (min–max) of ${p.rounds} rounds' ratios, each timing ours then the reference seconds apart; the figures beside it pool the rounds' samples.`,
    );
  const has = (...ws: string[]) => r.rows.some((row) => ws.includes(row.workload));
  const over = [
    has('parity', 'mlp512') ? `${p.steps} steps (MLPs)` : '',
    has('looped', 'standard') ? `${p.transformerSteps} steps (transformers)` : '',
    has('rcnn') ? `${p.rcnnSteps} steps (RCNN)` : '',
    has('rnn') ? `${p.rnnSteps} steps (RNN)` : '',
    has('matmul') ? `${p.matmulIters} matMul(s)` : '',
  ].filter((x) => x !== '');
  if (over.length)
    lines.push(
      `medians (min–max) over ${p.repeats * p.rounds} timed block(s)${p.rounds > 1 ? ` (${p.repeats} a round)` : ''} of ${over.join(', of ')}, each after a warm-up.`,
    );
  if (has('replicas', 'run'))
    lines.push(
      `wall rows: one timed run each${p.rounds > 1 ? ' a round' : ''} (replicas after a warm-up; run from spawning the CLI to its exit).`,
    );
  for (const row of r.rows) {
    if (row.trainStep)
      lines.push(
        `training step, ${row.workload}: ${row.trainStep}${row.kernelsPerStep !== undefined ? `; ${row.kernelsPerStep} kernel launch(es) a step` : ''}`,
      );
  }
  for (const row of r.rows) {
    const t = row.tfjsMatMul;
    if (t) lines.push(`matmul, tfjs-webgpu's own tf.matMul: ${num(t.median)} (${num(t.min)}–${num(t.max)}) TFLOP/s`);
    const b = row.breakdown;
    if (b)
      lines.push(
        `${row.workload}, ms a step: host sampling alone ${num(b.sampleMs)}; on one fixed batch, issuing the step on the host ${num(b.issueMs)}, the step read back ${num(b.stepMs)} (where issuing takes about as long as the step, the host is the bottleneck)`,
      );
  }
  for (const row of r.rows) {
    if (row.paramCount === undefined) continue;
    const theirs = row.reference?.paramCount;
    const verdict =
      theirs === undefined
        ? 'PyTorch not run'
        : theirs === row.paramCount
          ? 'equal'
          : `PyTorch ${theirs.toLocaleString('en-US')}: DIFFERENT`;
    lines.push(
      `parameters, ${row.workload}: ours ${row.paramCount.toLocaleString('en-US')}${theirs !== undefined && theirs === row.paramCount ? `, PyTorch ${theirs.toLocaleString('en-US')}` : ''} (${verdict})`,
    );
  }
  const set = p.runSet.map((s) => ` --set ${s}`).join('');
  for (const run of r.rows.find((row) => row.workload === 'run')?.runs ?? []) {
    lines.push(
      `learnability run ${p.runPreset} --backend ${run.requested}${run.requested === run.backend ? '' : ` (ran on ${run.backend})`}${set}: ${num(run.seconds)} s from spawn to exit, run loop ${num(run.runSeconds)} s (evaluations and checkpoints included), ${run.steps.toLocaleString('en-US')} steps, learned at step ${run.learnedAtStep?.toLocaleString('en-US') ?? '— (not learned)'}; training step: ${run.trainStep ?? 'not printed'}`,
    );
  }
  const device = r.torchDevice === 'cuda' ? 'CUDA' : 'cpu';
  if ('skipped' in r.torch) lines.push(`PyTorch ${device} reference skipped: ${r.torch.skipped}`);
  else {
    const t = r.torch;
    const where =
      t.device === 'cuda'
        ? `CUDA ${t.cuda ?? '?'} on ${t.deviceName ?? '?'}, fp32, TF32 ${t.tf32 ? 'ON' : 'off'}`
        : `CPU, ${t.threads} torch thread(s), fp32, ${blasWords(t.blas, t.blasThreads)}`;
    lines.push(`PyTorch ${t.torch}, ${where} (bench/torch_gpu.py)`);
  }
  return lines;
}
