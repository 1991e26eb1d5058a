/**
 * Our side of `learnability bench gpu`: each workload timed on the active backend through the
 * same training loop `learnability run` uses (train-bench.ts), so whichever step the trainer
 * picks (a fused kernel or the generic TF.js step) is the one timed.
 */
import * as tf from '@tensorflow/tfjs-core';
import { tiledMatMul } from '@learnability/backends';
import { matMulAgreement, timeMatMul } from './matmul-bench.js';
import type { MatMulAgreement } from './matmul-bench.js';
import { timeRunCommand } from './run-wall.js';
import type { RunWall } from './run-wall.js';

import { timeRun, timeTrainingPath } from './train-bench.js';
import type { StepBreakdown } from './train-bench.js';
import { rcnnLabel, rnnLabel, trainCase, transformerLabel } from './gpu-workloads.js';
import type { GpuBenchPlan, GpuSpecs, GpuWorkload, RcnnSpec, RnnSpec, TransformerSpec } from './gpu-workloads.js';
import { summarizeSamples } from '@learnability/core';
import type { SampleSummary } from '@learnability/core';

export type GpuUnit = 'steps/s' | 's' | 'TFLOP/s';

/** One workload measured on our side. */
export interface OurMeasurement {
  workload: GpuWorkload;
  label: string;
  unit: GpuUnit;
  /** Samples: one per timed block (rates), or one per run (wall seconds). */
  ours: SampleSummary;
  /** How our trainer ran its steps here (`Trainer.describeStep`): fused kernel, or generic and why. */
  trainStep?: string;
  /** Kernels one training step launches (`tf.profile`). */
  kernelsPerStep?: number;
  /** Our parameter count (transformers, RCNN). */
  paramCount?: number;
  /** The `run` row: the run on our backend, then on the reference backend. */
  runs?: RunWall[];
  /** The matmul row on webgpu: TFLOP/s of tfjs's own tf.matMul, beside our tiled kernel's. */
  tfjsMatMul?: SampleSummary;
  /** The matmul row on webgpu: our tiled kernel's product against tf.matMul's, checked before it is timed. */
  tiledAgreement?: MatMulAgreement;
  /** Training rows: ms per step of host sampling alone, of issuing the step, and of the step read back. */
  breakdown?: StepBreakdown;
}

/** Rates are better higher; wall seconds lower. */
export function higherIsBetter(unit: GpuUnit): boolean {
  return unit !== 's';
}

/** > 1 means ours is faster: ours ÷ reference for rates, reference ÷ ours for wall times. */
export function speedRatio(unit: GpuUnit, ours: number, reference: number): number {
  return higherIsBetter(unit) ? ours / reference : reference / ours;
}

const MLP_LABELS = {
  parity: 'sparse-parity model n=50→1000→1, hinge, SGD, batch 32',
  mlp512: '50→512→512→1, MSE, SGD, batch 64',
} as const;

/** Times workload `w` on the active backend (`backend`: its name, for the `run` row's children). */
export async function measureOurs(
  w: GpuWorkload,
  plan: GpuBenchPlan,
  backend: string,
  specs: GpuSpecs,
): Promise<OurMeasurement> {
  switch (w) {
    case 'parity':
    case 'mlp512': {
      const r = await timeTrainingPath(trainCase(w, plan), 1, plan.steps, plan.repeats);
      return {
        workload: w,
        label: MLP_LABELS[w],
        unit: 'steps/s',
        ours: r.stepsPerSecond,
        trainStep: r.trainStep,
        kernelsPerStep: r.kernelsPerStep,
      };
    }
    case 'looped':
    case 'standard':
    case 'rcnn':
    case 'rnn': {
      const [steps, label, paramCount] =
        w === 'rcnn'
          ? [plan.rcnnSteps, rcnnLabel(specs.rcnn as RcnnSpec), (specs.rcnn as RcnnSpec).paramCount]
          : w === 'rnn'
            ? [plan.rnnSteps, rnnLabel(specs.rnn as RnnSpec), (specs.rnn as RnnSpec).paramCount]
            : [
                plan.transformerSteps,
                transformerLabel(w, specs[w] as TransformerSpec),
                (specs[w] as TransformerSpec).paramCount,
              ];
      const r = await timeTrainingPath(trainCase(w, plan), 1, steps, plan.repeats);
      return {
        workload: w,
        label,
        unit: 'steps/s',
        ours: r.stepsPerSecond,
        trainStep: r.trainStep,
        kernelsPerStep: r.kernelsPerStep,
        paramCount,
        breakdown: r.breakdown,
      };
    }
    case 'replicas': {
      const r = await timeRun(trainCase('parity', plan), plan.replicas, plan.replicaSteps);
      const label = `${plan.replicas.toLocaleString('en-US')} replicas of the parity model × ${plan.replicaSteps.toLocaleString('en-US')} steps, wall`;
      return {
        workload: w,
        label,
        unit: 's',
        ours: summarizeSamples([r.seconds]),
        trainStep: r.trainStep,
        breakdown: r.breakdown,
      };
    }
    case 'matmul': {
      // On webgpu ours is the tiled WGSL kernel (@learnability/backends); tfjs's own matMul is timed beside it.
      const size = plan.matmulSize;
      const tiled = backend === 'webgpu' && size % 4 === 0;
      // A kernel that gave wrong products would be timed at any speed: it is checked first.
      const agreement = tiled ? await matMulAgreement(size, tiledMatMul) : undefined;
      if (agreement && !agreement.agrees)
        throw new Error(
          `bench gpu: the tiled matMul disagrees with tf.matMul at ${size}²: max |ΔC| ${agreement.maxAbsDiff} against max |C| ${agreement.maxAbs} (allowed 1e-4 of it); no figure is timed for a kernel that gives wrong products`,
        );
      const r = await timeMatMul(size, plan.matmulIters, plan.repeats, tiled ? tiledMatMul : tf.matMul);
      const tfjs = tiled ? (await timeMatMul(size, plan.matmulIters, plan.repeats)).tflops : undefined;
      const label = `${size}² fp32 matMul${tiled ? ' (tiled WGSL kernel)' : ''}`;
      return {
        workload: w,
        label,
        unit: 'TFLOP/s',
        ours: r.tflops,
        ...(tfjs ? { tfjsMatMul: tfjs } : {}),
        ...(agreement ? { tiledAgreement: agreement } : {}),
      };
    }
    case 'run': {
      const time = (b: string) => timeRunCommand(plan.runPreset, b, plan.runSet, plan.runThreads);
      const mine = await time(backend);
      const other = await time(plan.runReference);
      // And as a user runs it by default: `auto` times both and must never pick the slower one.
      const auto = await time('auto');
      const label = `run ${plan.runPreset}${plan.runSet.length ? ' (with --run-set)' : ''}, wall`;
      return {
        workload: w,
        label,
        unit: 's',
        ours: summarizeSamples([mine.seconds]),
        runs: [mine, other, auto],
        ...(mine.trainStep ? { trainStep: mine.trainStep } : {}),
      };
    }
  }
}
