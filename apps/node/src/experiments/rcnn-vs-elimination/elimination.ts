import { createRng, median } from '@learnability/core';
import type { Rng } from '@learnability/core';
import { createEliminationLearner, createSparseParityTask, samplesForConfidence } from '@learnability/parity';

/** GF(2) elimination on fresh samples of one parity, over many independent streams. */
export interface EliminationRun {
  /** n + ⌈log2(1/δ)⌉: samples that succeed with probability ≥ 1 − δ (docs/papers.md §1). */
  theorySamples: number;
  delta: number;
  trials: number;
  /** Samples read when the basis reached rank n, per trial: median, mean and max. */
  medianSamples: number;
  meanSamples: number;
  maxSamples: number;
  /** Mean wall microseconds per trial (sampling on the host + elimination). */
  meanMicroseconds: number;
  /** Fraction of trials whose solution was exactly the hidden subset. */
  exact: number;
}

/** Feeds each trial's learner one fresh example at a time until it has rank n. */
export function runElimination(n: number, k: number, trials: number, delta: number, seed: number): EliminationRun {
  const task = createSparseParityTask({ n, k, seed });
  const solve = (rng: Rng) => {
    const learner = createEliminationLearner({ n });
    while (learner.settledAtSample === null) {
      const { x, y } = task.sampleHost(1, rng);
      learner.observe(x, y);
    }
    return learner;
  };
  // Warm-up: the first calls run before the JIT has compiled the inner loops.
  for (let t = 0; t < 20; t++) solve(createRng(seed).fork(`warm-up-${t}`));
  const counts: number[] = [];
  let exact = 0;
  const started = performance.now();
  for (let t = 0; t < trials; t++) {
    const learner = solve(createRng(seed).fork(`elimination-${t}`));
    counts.push(learner.settledAtSample as number);
    const s = learner.solution();
    if (task.subset.every((i) => s[i] === 1) && s.reduce((a, b) => a + b, 0) === k) exact++;
  }
  const microseconds = ((performance.now() - started) * 1000) / trials;
  return {
    theorySamples: samplesForConfidence(n, delta),
    delta,
    trials,
    medianSamples: median(counts),
    meanSamples: counts.reduce((a, b) => a + b, 0) / trials,
    maxSamples: Math.max(...counts),
    meanMicroseconds: microseconds,
    exact: exact / trials,
  };
}
