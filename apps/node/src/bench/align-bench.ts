import { trainingLoop, warmUp } from './train-bench.js';
import { summarizeSamples } from '@learnability/core';
import type { SampleSummary } from '@learnability/core';

/** A training loop to time in blocks: the hot path of `runExperiment` between evaluations. */
interface Stepper {
  /** Runs `steps` steps; returns steps per wall second and per CPU second of this process (all threads). */
  block(steps: number): Promise<{ wall: number; cpu: number }>;
  /** Runs blocks of `steps` for a second at least, untimed (warmUp in train-bench.ts). */
  warmUp(steps: number): Promise<void>;
  dispose(): void;
}

function stepper(preset: string, set: string[]): Stepper {
  // generic: backprop here is the tf.grad step its label names, not the dense model's fused kernel.
  const loop = trainingLoop({ label: preset, preset, set, generic: true }, 1);
  return {
    async block(steps) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      await loop.block(steps);
      const cpu = process.cpuUsage(c0);
      return { wall: (steps * 1000) / (performance.now() - t0), cpu: (steps * 1e6) / (cpu.user + cpu.system) };
    },
    warmUp: (steps) => warmUp(loop.block, steps),
    dispose: loop.dispose,
  };
}

/**
 * Steps/s of several trainer configurations of one preset, timed round-robin (block 1 of every
 * case, then block 2, …) so that a change in the machine's load falls on all cases alike, each
 * after a warm-up of a second or more. `wall` is steps per wall-clock second; `cpu` steps per CPU
 * second of this process, which other jobs on a shared machine disturb much less. Each `SampleSummary`
 * keeps its samples in round order, for ratios paired within a round.
 */
export async function timeRoundRobin(
  preset: string,
  cases: { set: string[] }[],
  steps: number,
  repeats: number,
  onBlock?: (repeat: number) => void,
): Promise<{ wall: SampleSummary; cpu: SampleSummary }[]> {
  const steppers = cases.map((c) => stepper(preset, c.set));
  const rates: { wall: number; cpu: number }[][] = cases.map(() => []);
  try {
    for (const s of steppers) await s.warmUp(Math.max(2, Math.round(steps / 4)));
    for (let r = 0; r < repeats; r++) {
      onBlock?.(r);
      for (const [i, s] of steppers.entries()) rates[i]?.push(await s.block(steps));
    }
  } finally {
    for (const s of steppers) s.dispose();
  }
  return rates.map((r) => ({
    wall: summarizeSamples(r.map((x) => x.wall)),
    cpu: summarizeSamples(r.map((x) => x.cpu)),
  }));
}
