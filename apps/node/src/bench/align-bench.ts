import * as tf from '@tensorflow/tfjs-core';
import { replicaRngs } from '@learnability/core';
import type { TrainerState } from '@learnability/core';
import { ReplicaSampler } from '@learnability/experiment';
import { applyOverrides, getPreset, resolve, validateConfig } from '@learnability/presets';
import { stats } from './stats.js';
import type { Stats } from './stats.js';

/** A training loop to time in blocks: the hot path of `runExperiment` between evaluations. */
interface Stepper {
  /** Runs `steps` steps; returns steps per wall second and per CPU second of this process (all threads). */
  block(steps: number): Promise<{ wall: number; cpu: number }>;
  dispose(): void;
}

function stepper(preset: string, set: string[]): Stepper {
  const config = validateConfig(applyOverrides({ ...getPreset(preset).config, learners: [] }, set));
  const { task, model, trainer } = resolve(config);
  if (!model || !trainer) throw new Error(`bench align: preset ${preset} has no model`);
  let state: TrainerState = trainer.init(model, model.init(replicaRngs(0, 1)));
  const sampler = new ReplicaSampler(task, replicaRngs(0, 1), config.run.batchSize, null);
  return {
    async block(steps) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      let sum: tf.Tensor = tf.zeros([1]);
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
      const cpu = process.cpuUsage(c0);
      return { wall: (steps * 1000) / (performance.now() - t0), cpu: (steps * 1e6) / (cpu.user + cpu.system) };
    },
    dispose: () => trainer.dispose(state),
  };
}

/**
 * Steps/s of several trainer configurations of one preset, timed round-robin (block 1 of every
 * case, then block 2, …) so that a change in the machine's load falls on all cases alike. `wall`
 * is steps per wall-clock second; `cpu` steps per CPU second of this process, which other jobs on
 * a shared machine disturb much less.
 */
export async function timeRoundRobin(preset: string, cases: { set: string[] }[], steps: number, repeats: number, onBlock?: (repeat: number) => void): Promise<{ wall: Stats; cpu: Stats }[]> {
  const steppers = cases.map((c) => stepper(preset, c.set));
  const rates: { wall: number; cpu: number }[][] = cases.map(() => []);
  try {
    for (const s of steppers) await s.block(Math.max(2, Math.round(steps / 4))); // warm-up: kernels, allocations
    for (let r = 0; r < repeats; r++) {
      onBlock?.(r);
      for (const [i, s] of steppers.entries()) rates[i]?.push(await s.block(steps));
    }
  } finally {
    for (const s of steppers) s.dispose();
  }
  return rates.map((r) => ({ wall: stats(r.map((x) => x.wall)), cpu: stats(r.map((x) => x.cpu)) }));
}
