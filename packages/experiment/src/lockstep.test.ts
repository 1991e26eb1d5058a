import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend } from '@learnability/backends/testing';
import type { EvalEvent, RunSummary } from '@learnability/core';
import { createDense } from '@learnability/dense';
import { createSparseParityTask } from '@learnability/parity';
import { createSgd } from '@learnability/sgd';
import { expect, it } from 'vitest';
import { runInLockstep } from './lockstep.js';
import type { LockstepRun } from './lockstep.js';
import { runExperiment } from './run-experiment.js';
import type { RunExperimentOptions } from './run-experiment.js';
import { memorySink } from './sink.js';

/** A small parity run; `lr` tells the two runs of a pair apart. */
const parts = (lr: number) => ({
  task: createSparseParityTask({ n: 10, k: 2, seed: 1 }),
  model: createDense({ inputSize: 10, widths: [32], replicas: 2 }),
  trainer: createSgd({ lr, loss: 'hinge' }),
});
const options = (steps: number, evalEvery = 20): RunExperimentOptions['options'] => ({
  steps,
  evalEvery,
  batchSize: 16,
  replicas: 2,
  testSize: 200,
  stopWhenLearned: false,
});
const run = (lr: number, steps: number, evalEvery = 20): LockstepRun => ({
  parts: parts(lr),
  run: { runId: `lr-${lr}`, config: {}, options: options(steps, evalEvery), sink: memorySink() },
});
/** A summary without its wall time, the one field that differs between two executions. */
const numbers = ({ wallSeconds: _w, ...s }: RunSummary) => s;
const lastEvalStep = (r: LockstepRun) =>
  (r.run.sink as ReturnType<typeof memorySink>).events.filter((e): e is EvalEvent => e.type === 'eval').at(-1)?.step;

describeEachBackend('runInLockstep', () => {
  it('holds each run at every evaluation until the other is there, and trains each as it would alone', async () => {
    const before = tf.memory().numTensors;
    const runs = [run(0.1, 60), run(0.05, 60)];
    const seen: { step: number; checkpointSteps: (number | null)[]; lastEvals: (number | undefined)[] }[] = [];
    const summaries = await runInLockstep(runs, (step, checkpoints) => {
      seen.push({ step, checkpointSteps: checkpoints.map((c) => c?.step ?? null), lastEvals: runs.map(lastEvalStep) });
    });
    expect(seen.map((s) => s.step)).toEqual([20, 40, 60]);
    for (const s of seen) {
      expect(s.checkpointSteps).toEqual([s.step, s.step]);
      // Neither run is past the evaluation the group is at.
      expect(s.lastEvals).toEqual([s.step, s.step]);
    }
    const alone = [
      await runExperiment(parts(0.1), { runId: 'lr-0.1', config: {}, options: options(60) }),
      await runExperiment(parts(0.05), { runId: 'lr-0.05', config: {}, options: options(60) }),
    ];
    expect(summaries.map(numbers)).toEqual(alone.map(numbers));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops waiting for a run that has ended', async () => {
    const seen: (number | null)[][] = [];
    const summaries = await runInLockstep([run(0.1, 80), run(0.05, 40)], (_step, checkpoints) => {
      seen.push(checkpoints.map((c) => c?.step ?? null));
    });
    expect(seen).toEqual([
      [20, 20],
      [40, 40],
      [60, null],
      [80, null],
    ]);
    expect(summaries.map((s) => s.steps)).toEqual([80, 40]);
  });

  it('fails, without hanging and with every run ended, when the runs evaluate at different steps or atEval throws', async () => {
    const before = tf.memory().numTensors;
    await expect(runInLockstep([run(0.1, 60, 20), run(0.05, 60, 30)], () => {})).rejects.toThrow(
      /^runInLockstep: run [01] evaluated at step \d+ while the others are at \d+; runs in lockstep evaluate at the same steps: give every run the same evalEvery, and the same steps or steps that are multiples of it \(a run also evaluates at its last step\)$/,
    );
    // One evalEvery, and a last step off its grid: the run ending at 50 evaluates there, the other at 60.
    await expect(runInLockstep([run(0.1, 50, 20), run(0.05, 70, 20)], () => {})).rejects.toThrow(
      /^runInLockstep: run [01] evaluated at step (50|60) while the others are at (50|60);/,
    );
    await expect(
      runInLockstep([run(0.1, 60), run(0.05, 60)], (step) => {
        if (step === 40) throw new Error('measurement failed');
      }),
    ).rejects.toThrow('measurement failed');
    // No run trains on in the background: every tensor of every run is already freed.
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses, before training, runs that are not { parts, run } and an atEval that is no function', async () => {
    const { parts: p } = run(0.1, 20);
    // Without `run`, the entry's error was swallowed and the group resolved to [undefined].
    await expect(runInLockstep([{ parts: p } as LockstepRun], () => {})).rejects.toThrow(
      "runInLockstep: runs[0] must be { parts, run }, runExperiment's two arguments, but has keys [parts]",
    );
    await expect(runInLockstep([], () => {})).rejects.toThrow(
      'runInLockstep: runs must be a non-empty array of { parts, run }, but got an empty array',
    );
    await expect(runInLockstep([run(0.1, 20)], undefined as never)).rejects.toThrow(
      'runInLockstep: atEval must be a function (step, checkpoints) => void, but got undefined',
    );
  });
});
