import * as tf from '@tensorflow/tfjs-core';
import { replicaRngs, summarizeSamples } from '@learnability/core';
import type { Model, SampleSummary } from '@learnability/core';
import { ReplicaSampler, sumLosses } from '@learnability/experiment';
import { applyOverrides, getPreset, resolve, validateConfig } from '@learnability/presets';
import type { ResolvedConfig } from '@learnability/presets';

/** A model to time: a preset with overrides (learners dropped: only the network's step is timed). */
export interface TrainCase {
  label: string;
  preset: string;
  set: string[];
  /** Turn the model's fused step off (the generic TF.js step), to compare. */
  generic?: boolean;
}

/** The sparse-parity model (n=50 → 1000 → 1, hinge, SGD, batch 32) and the 50→512→512→1 MSE MLP. */
export const TRAIN_CASES: readonly TrainCase[] = [
  { label: 'parity 50→1000→1, hinge, batch 32', preset: 'sparse-parity', set: [] },
  {
    label: 'mlp 50→512→512→1, mse, batch 64',
    preset: 'sparse-parity',
    set: [
      'model.widths=[512,512]',
      'trainer.loss="mse"',
      'trainer.lr=0.01',
      'trainer.weightDecay=0',
      'run.batchSize=64',
    ],
  },
];

/** Ms per step: host sampling alone, issuing the step on the host, and the step read back (train-bench.ts `breakdown`). */
export interface StepBreakdown {
  sampleMs: number;
  issueMs: number;
  stepMs: number;
}

/**
 * Steps per second of the training hot path exactly as `runExperiment` runs it between
 * evaluations: sample on the host, upload, `trainer.step`, accumulate the loss on the device;
 * one read back per timed block.
 */
export async function timeTraining(
  c: TrainCase,
  replicas: number,
  steps: number,
  repeats: number,
): Promise<SampleSummary> {
  return (await timeTrainingPath(c, replicas, steps, repeats)).stepsPerSecond;
}

/** `timeTraining`, with how the trainer ran its steps (`Trainer.describeStep`) and the kernels one step launches. */
export async function timeTrainingPath(
  c: TrainCase,
  replicas: number,
  steps: number,
  repeats: number,
): Promise<{ stepsPerSecond: SampleSummary; trainStep: string; kernelsPerStep: number; breakdown: StepBreakdown }> {
  const { block, breakdown, dispose, trainStep, profileStep } = trainingLoop(c, replicas);
  const kernelsPerStep = await profileStep();
  await warmUp(block, steps);
  const rates: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await block(steps);
    rates.push((steps * 1000) / (performance.now() - t0));
  }
  const parts = await breakdown(Math.min(steps, 20));
  const how = trainStep();
  dispose();
  return { stepsPerSecond: summarizeSamples(rates), trainStep: how, kernelsPerStep, breakdown: parts };
}

/** Wall seconds of one run of `steps` steps with R replicas (after a warm-up), and how the trainer ran its steps. */
export async function timeRun(
  c: TrainCase,
  replicas: number,
  steps: number,
): Promise<{ seconds: number; trainStep: string; breakdown: StepBreakdown }> {
  const { block, breakdown, dispose, trainStep } = trainingLoop(c, replicas);
  await warmUp(block, 20);
  const t0 = performance.now();
  await block(steps);
  const seconds = (performance.now() - t0) / 1000;
  const parts = await breakdown(Math.min(steps, 50));
  const how = trainStep();
  dispose();
  return { seconds, trainStep: how, breakdown: parts };
}

/** How the trainer of `c` runs its steps here (`Trainer.describeStep`) and how many kernels one step launches (`tf.profile`). */
export async function trainStepOf(c: TrainCase): Promise<{ trainStep: string; kernelsPerStep: number }> {
  const { dispose, trainStep, profileStep } = trainingLoop(c, 1);
  const how = { trainStep: trainStep(), kernelsPerStep: await profileStep() };
  dispose();
  return how;
}

/**
 * Runs blocks until a second has passed (at least one block): kernel compilation, first
 * allocations, and V8's tier-up of WebAssembly from its baseline compiler to the optimising one,
 * which happens on a background thread and can take a while on a loaded machine.
 */
export async function warmUp(block: (steps: number) => Promise<void>, steps: number): Promise<void> {
  const t0 = performance.now();
  do await block(steps);
  while (performance.now() - t0 < 1000);
}

/** The model with its fused steps removed, so its trainer runs the generic TF.js path. */
export const withoutFusedSteps = (model: Model): Model =>
  Object.assign({}, model, { fusedSgdStep: undefined, fusedStep: undefined });

/** The loop of `runExperiment` between evaluations, for one preset and R replicas (also timed by align-bench.ts). */
export function trainingLoop(c: TrainCase, replicas: number) {
  return configLoop(resolveCase(c, replicas).config, c.generic === true);
}

/** The same loop for a validated config (its own replicas, batch size and training set). */
export function configLoop(config: ResolvedConfig, generic = false) {
  const replicas = config.run.replicas;
  const { task, model, trainer } = resolve(config);
  if (!model || !trainer) throw new Error(`bench: this config has no model to time`);
  const net = generic ? withoutFusedSteps(model) : model;
  let state = trainer.init(net, model.init(replicaRngs(0, replicas)));
  const sampler = new ReplicaSampler(
    task,
    replicaRngs(0, replicas),
    config.run.batchSize,
    config.run.trainSetSize ?? null,
  );
  const block = async (steps: number) => {
    const losses: tf.Tensor[] = [];
    for (let i = 0; i < steps; i++) {
      const batch = sampler.next();
      const r = trainer.step(state, batch);
      state = r.state;
      losses.push(r.loss);
      tf.dispose([batch.x, batch.y]);
    }
    // As the loop does at an evaluation: the block's losses summed on the device, read once.
    const sum = sumLosses(losses, replicas);
    await sum.data();
    tf.dispose([sum, ...losses]);
  };
  /** Kernels one `trainer.step` launches. */
  const profileStep = async () => {
    const batch = sampler.next();
    const profile = await tf.profile(() => {
      const r = trainer.step(state, batch);
      state = r.state;
      return r.loss;
    });
    tf.dispose([batch.x, batch.y, profile.result as tf.Tensor]);
    return profile.kernels.length;
  };
  /**
   * Where a step's time goes, in ms per step over `steps` steps: drawing batches on the host
   * alone (sampling and making the tensors); issuing the steps on one batch drawn once (the time
   * until the last `trainer.step` returns: the host's share, as a GPU step runs asynchronously);
   * and those steps read once at the end. Issue ≈ step: the host is the bottleneck.
   */
  const breakdown = async (steps: number) => {
    let t0 = performance.now();
    for (let i = 0; i < steps; i++) {
      const b = sampler.next();
      tf.dispose([b.x, b.y]);
    }
    const sampleMs = (performance.now() - t0) / steps;
    const batch = sampler.next();
    t0 = performance.now();
    const losses: tf.Tensor[] = [];
    for (let i = 0; i < steps; i++) {
      const r = trainer.step(state, batch);
      state = r.state;
      losses.push(r.loss);
    }
    const issueMs = (performance.now() - t0) / steps;
    const sum = sumLosses(losses, replicas);
    await sum.data();
    const stepMs = (performance.now() - t0) / steps;
    tf.dispose([sum, ...losses, batch.x, batch.y]);
    return { sampleMs, issueMs, stepMs };
  };
  const trainStep = () =>
    trainer.describeStep?.() ?? `generic TF.js on ${tf.getBackend()} (the ${trainer.name} trainer has no fused step)`;
  return { block, profileStep, breakdown, dispose: () => trainer.dispose(state), trainStep };
}

/** The config, task, model and trainer of `c` with R replicas (learners dropped). */
export function resolveCase(c: TrainCase, replicas: number) {
  const config = validateConfig(
    applyOverrides({ ...getPreset(c.preset).config, learners: [] }, [...c.set, `run.replicas=${replicas}`]),
  );
  const { task, model, trainer } = resolve(config);
  if (!model || !trainer) throw new Error(`bench: preset ${c.preset} has no model to time`);
  return { config, task, model, trainer };
}
