/**
 * The learned-at bookkeeping against the run's own eval events: a replica has learned at the FIRST
 * evaluation whose test accuracy is ≥ 0.99 (the default `learnedThreshold`), and
 * learnedAtSamples = learnedAtStep × batchSize. On cpu only (the bookkeeping is host code; the
 * backends' training is covered by run-experiment.test.ts), in about 2 s.
 */
import * as tf from '@tensorflow/tfjs-core';
import { setupTestBackend } from '@learnability/backends/testing';
import type { EvalEvent, LearnedEvent } from '@learnability/core';
import { createDense } from '@learnability/dense';
import { createSparseParityTask } from '@learnability/parity';
import { createSgd } from '@learnability/sgd';
import { beforeAll, describe, expect, it } from 'vitest';
import { runExperiment } from './run-experiment.js';
import { memorySink } from './sink.js';

const THRESHOLD = 0.99;
const BATCH = 16;
const REPLICAS = 3;

describe('learned-at bookkeeping [cpu]', () => {
  beforeAll(async () => {
    await setupTestBackend('cpu');
  });

  it('learnedAtStep is each replica’s first evaluation with test accuracy ≥ 0.99, and learnedAtSamples = learnedAtStep × batchSize', async () => {
    const before = tf.memory().numTensors;
    const sink = memorySink();
    // n = 10, k = 2 sparse parity, 3 replicas of a width-64 MLP. lr 0.03 and an eval every 10 steps
    // make the replicas cross 0.99 at different evaluations (190, 200, 200 with these seeds; with
    // lr 0.1 and evals every 50 all three crossed at step 100, which cannot tell replicas apart), and
    // running on after learning (stopWhenLearned: false) gives evaluations past each crossing,
    // which tell the first crossing from the last.
    const summary = await runExperiment(
      {
        task: createSparseParityTask({ n: 10, k: 2, seed: 1 }),
        model: createDense({ inputSize: 10, widths: [64], init: 'torch-linear', replicas: REPLICAS }),
        trainer: createSgd({ lr: 0.03, weightDecay: 0.01, loss: 'hinge' }),
      },
      {
        runId: 'learned-at',
        config: {},
        options: {
          steps: 250,
          batchSize: BATCH,
          evalEvery: 10,
          testSize: 1000,
          replicas: REPLICAS,
          seed: 0,
          stopWhenLearned: false,
        },
        sink,
      },
    );
    const evals = sink.events.filter((e): e is EvalEvent => e.type === 'eval');
    const learned = sink.events.filter((e): e is LearnedEvent => e.type === 'learned');
    expect(evals.map((e) => e.step)).toEqual(Array.from({ length: 25 }, (_, i) => 10 * (i + 1)));

    // The reference: for each replica, the first eval event at or above the threshold.
    const firstAbove = Array.from({ length: REPLICAS }, (_, r) =>
      evals.findIndex((e) => (e.testAccuracy[r] ?? Number.NaN) >= THRESHOLD),
    );
    // The run is one that can tell right from wrong bookkeeping: every replica crosses, with an
    // evaluation below before and one at or above after, and not all at the same evaluation.
    for (const [r, i] of firstAbove.entries()) {
      expect(i, `replica ${r} crosses 0.99`).toBeGreaterThan(0);
      expect(i, `replica ${r} has an evaluation after its crossing`).toBeLessThan(evals.length - 1);
      expect(evals.slice(i + 1).some((e) => (e.testAccuracy[r] as number) >= THRESHOLD)).toBe(true);
    }
    expect(new Set(firstAbove).size, 'replicas cross at different evaluations').toBeGreaterThan(1);

    for (const [r, i] of firstAbove.entries()) {
      const at = evals[i] as EvalEvent;
      const replica = summary.replicas[r];
      expect(replica?.learnedAtStep, `replica ${r} learnedAtStep`).toBe(at.step);
      expect(replica?.learnedAtSamples, `replica ${r} learnedAtSamples`).toBe(at.step * BATCH);
      expect(at.samplesSeen, `samples seen at replica ${r}'s crossing`).toBe(at.step * BATCH);
      // One 'learned' event per replica, at that evaluation.
      expect(learned.filter((e) => e.learner === r)).toEqual([
        { type: 'learned', learner: r, step: at.step, samples: at.step * BATCH },
      ]);
    }
    // The summary's learnedAtStep is the replicas' median (3 replicas: the middle one).
    const steps = firstAbove.map((i) => (evals[i] as EvalEvent).step).sort((a, b) => a - b);
    expect(summary.learnedAtStep).toBe(steps[1]);
    expect(summary.successRate).toBe(1);
    expect(tf.memory().numTensors, 'tensors after the run').toBe(before);
  });
});
