import * as tf from '@tensorflow/tfjs-core';
import { replicaRngs } from '@learnability/core';
import { ReplicaSampler } from '@learnability/experiment';
import { applyOverrides, getPreset, resolve, validateConfig } from '@learnability/presets';
import { stats } from './stats.js';
import type { Stats } from './stats.js';

/** A model to time: a preset with overrides (learners dropped: only the network's step is timed). */
export interface TrainCase {
  label: string;
  preset: string;
  set: string[];
}

/** The sparse-parity model (n=50 → 1000 → 1, hinge, SGD, batch 32) and the 50→512→512→1 MSE MLP. */
export const TRAIN_CASES: readonly TrainCase[] = [
  { label: 'parity 50→1000→1, hinge, batch 32', preset: 'sparse-parity', set: [] },
  { label: 'mlp 50→512→512→1, mse, batch 64', preset: 'sparse-parity', set: ['model.widths=[512,512]', 'trainer.loss="mse"', 'trainer.lr=0.01', 'trainer.weightDecay=0', 'run.batchSize=64'] },
];

/**
 * Steps per second of the training hot path exactly as `runExperiment` runs it between
 * evaluations: sample on the host, upload, `trainer.step`, accumulate the loss on the device;
 * one read back per timed block.
 */
export async function timeTraining(c: TrainCase, replicas: number, steps: number, repeats: number): Promise<Stats> {
  const config = validateConfig(applyOverrides({ ...getPreset(c.preset).config, learners: [] }, [...c.set, `run.replicas=${replicas}`]));
  const { task, model, trainer } = resolve(config);
  if (!model || !trainer) throw new Error(`bench train: preset ${c.preset} has no model`);
  let state = trainer.init(model, model.init(replicaRngs(0, replicas)));
  const sampler = new ReplicaSampler(task, replicaRngs(0, replicas), config.run.batchSize, null);
  const block = async () => {
    let sum: tf.Tensor = tf.zeros([replicas]);
    for (let i = 0; i < steps; i++) {
      const batch = sampler.next();
      const r = trainer.step(state, batch);
      state = r.state;
      const next = tf.add(sum, r.loss);
      tf.dispose([sum, r.loss, batch.x, batch.y]);
      sum = next;
    }
    await sum.data();
    sum.dispose();
  };
  await block(); // warm-up: kernel compilation, first allocations
  const rates: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await block();
    rates.push((steps * 1000) / (performance.now() - t0));
  }
  trainer.dispose(state);
  return stats(rates);
}
