import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { BENCH_DIR } from './python-reference.js';
import { GPU_WORKLOADS } from './gpu-workloads.js';
import type { GpuBenchPlan, GpuSpecs, GpuWorkload } from './gpu-workloads.js';
import type { SampleSummary } from '@learnability/core';

/** What `bench/torch_gpu.py` prints for the workloads it ran. */
export interface TorchGpuResult {
  torch: string;
  device: string;
  threads: number;
  /** On the CPU: the libblas.so.3 its products call, and the threads OpenBLAS runs them on. */
  blas?: string;
  blasThreads?: number;
  deviceName?: string;
  cuda?: string;
  cudnn?: number;
  tf32?: boolean;
  /**
   * On the CPU, each trained model's `blasThreads` is the OpenBLAS thread count it was timed on:
   * the faster of 1 and the pool it started with (bench/torch_common.py's fastest_blas_threads).
   */
  workloads: {
    parity?: { stepsPerSecond: SampleSummary & { blasThreads?: number } };
    mlp512?: { stepsPerSecond: SampleSummary & { blasThreads?: number } };
    /** `way`: stacked weights and bmm (`batched`), or, on the CPU where faster, one network after another. */
    replicas?: {
      replicas: number;
      steps: number;
      way: 'batched' | 'sequential';
      seconds: SampleSummary;
      blasThreads?: number;
    };
    looped?: TrainedWorkload;
    standard?: TrainedWorkload;
    rcnn?: TrainedWorkload;
    rnn?: TrainedWorkload;
    matmul?: { size: number; iters: number; tflops: SampleSummary };
  };
}

/** A model the reference trained: its parameter count, steps/s and (on the CPU) its OpenBLAS threads. */
export interface TrainedWorkload {
  paramCount: number;
  stepsPerSecond: SampleSummary;
  blasThreads?: number;
}

/**
 * The reference's figures, or why there are none; `lasting` where trying again cannot help (no
 * Python, no torch, no CUDA, no script), so later rounds do not spawn it again.
 */
export type TorchGpuReference =
  | { ran: true; result: TorchGpuResult }
  | { ran: false; reason: string; lasting?: boolean };

/** Where the PyTorch reference runs and with which Python. */
export interface TorchGpuOptions {
  /** 'cuda' (the reference the figures come from) or 'cpu' (to test the script without a GPU). */
  device: 'cuda' | 'cpu';
  /** A Python with torch; a bare name is looked up on PATH. */
  python: string;
  /** Kill the reference after this long. */
  timeoutMs: number;
}

const SCRIPT = 'torch_gpu.py';

/** The workloads the PyTorch script has: all but `run`, which compares our backends with each other. */
const TORCH_WORKLOADS: readonly GpuWorkload[] = GPU_WORKLOADS.filter((w) => w !== 'run');

/**
 * Runs `bench/torch_gpu.py` for the plan's workloads at the same sizes and parses its JSON. Never
 * throws: a missing Python, torch without CUDA, or a failing script comes back as the reason the
 * reference was skipped.
 */
export function runTorchGpu(plan: GpuBenchPlan, specs: GpuSpecs, o: TorchGpuOptions): TorchGpuReference {
  const only = plan.only.filter((w) => TORCH_WORKLOADS.includes(w));
  if (only.length === 0) return { ran: false, reason: 'no workload with a PyTorch version was selected' };
  const script = `${BENCH_DIR}${SCRIPT}`;
  if (!existsSync(script))
    return {
      ran: false,
      reason: `${script} not found (set LEARNABILITY_BENCH_DIR to the repository's bench/ folder)`,
      lasting: true,
    };
  const spec = (w: keyof GpuSpecs) => {
    const s = specs[w];
    return s ? [`--${w}`, JSON.stringify(s)] : [];
  };
  const args = [
    script,
    ...[
      '--device',
      o.device,
      '--only',
      only.join(','),
      '--steps',
      String(plan.steps),
      '--repeats',
      String(plan.repeats),
    ],
    ...[
      '--replicas',
      String(plan.replicas),
      '--replica-steps',
      String(plan.replicaSteps),
      '--transformer-steps',
      String(plan.transformerSteps),
    ],
    ...['--matmul-size', String(plan.matmulSize), '--matmul-iters', String(plan.matmulIters)],
    ...['--rcnn-steps', String(plan.rcnnSteps), '--rnn-steps', String(plan.rnnSteps)],
    ...spec('looped'),
    ...spec('standard'),
    ...spec('rcnn'),
    ...spec('rnn'),
  ];
  const r = spawnSync(o.python, args, {
    encoding: 'utf8',
    timeout: o.timeoutMs,
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ran: false, reason: `${o.python} not found`, lasting: true };
    return {
      ran: false,
      reason: code === 'ETIMEDOUT' ? `${script} ran past ${o.timeoutMs / 1000} s` : r.error.message,
    };
  }
  if (r.status !== 0) {
    const last = r.stderr.trim().split('\n').pop() ?? '';
    if (/No module named 'torch'/.test(r.stderr))
      return { ran: false, reason: `${o.python} cannot import torch`, lasting: true };
    return { ran: false, reason: `${script} exited with ${r.status}: ${last}` };
  }
  const last = r.stdout.trim().split('\n').pop() ?? '';
  let parsed: unknown;
  try {
    parsed = JSON.parse(last);
  } catch {
    parsed = undefined;
  }
  // A line of `1` or `null` parses too, and `'skipped' in` it threw.
  if (typeof parsed !== 'object' || parsed === null)
    return {
      ran: false,
      reason: `${script} via ${o.python} printed no JSON object (its last line: ${last.slice(0, 120) || 'none'})`,
    };
  const result = parsed as TorchGpuResult | { skipped: string };
  return 'skipped' in result ? { ran: false, reason: result.skipped, lasting: true } : { ran: true, result };
}
