import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend, setupTestBackend } from '@learnability/backends/testing';
import type { EvalEvent, RunEvent, StreamLearner, Trainer } from '@learnability/core';
import { createDense } from '@learnability/dense';
import { createEliminationLearner, createSparseParityTask } from '@learnability/parity';
import { createSgd } from '@learnability/sgd';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Checkpoint } from './checkpoint.js';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint.js';
import { parseRecord, eventToLine } from './record.js';
import { runExperiment } from './run-experiment.js';
import type { ExperimentParts } from './run-experiment.js';
import { combineSinks, memorySink } from './sink.js';

const parts = (replicas: number, lr = 0.1, n = 10, k = 2) => {
  const task = createSparseParityTask({ n, k, seed: 1 });
  return {
    task,
    model: createDense({ inputSize: n, widths: [128], replicas }),
    trainer: createSgd({ lr, weightDecay: 0.001, loss: 'hinge' }),
  };
};

type TestOptions = Parameters<typeof runExperiment>[1]['options'];

/**
 * One uninterrupted run, one stopped at its `stopAt` checkpoint, and that checkpoint resumed to the
 * end (2 replicas): the events of each, for comparing a resumed run with an uninterrupted one.
 */
async function stopAndResume(options: TestOptions, stopAt: number) {
  const before = tf.memory().numTensors;
  const straight = memorySink();
  await runExperiment(parts(2), { runId: 'a', config: {}, options, sink: straight });
  let saved: Uint8Array | undefined;
  const controller = new AbortController();
  const first = memorySink();
  await runExperiment(parts(2), {
    runId: 'b',
    config: {},
    options,
    signal: controller.signal,
    sink: {
      event: (e) => first.event(e),
      checkpoint: async (c: Checkpoint) => {
        if (c.step === stopAt) {
          saved = await encodeCheckpoint(c);
          controller.abort();
        }
      },
    },
  });
  expect(saved).toBeDefined();
  const resumed = memorySink();
  await runExperiment(parts(2), {
    runId: 'b',
    config: {},
    options,
    sink: resumed,
    resume: decodeCheckpoint(saved as Uint8Array),
  });
  // The resumed run took the checkpoint's tensors over and freed them with its own.
  expect(tf.memory().numTensors, 'tensors left by the three runs').toBe(before);
  return { straight, first, resumed };
}
/**
 * `run()`'s parts trained straight through, and again stopped at its first checkpoint and resumed
 * from it (with fresh parts, as a new process would have): both summaries and the checkpoint's step.
 */
async function straightAndResumedAtFirstCheckpoint(run: () => ExperimentParts, options: TestOptions) {
  const straight = await runExperiment(run(), { runId: 'a', config: {}, options });
  let saved: Uint8Array | undefined;
  const controller = new AbortController();
  await runExperiment(run(), {
    runId: 'b',
    config: {},
    options,
    signal: controller.signal,
    sink: {
      event: () => undefined,
      checkpoint: async (c: Checkpoint) => {
        saved ??= await encodeCheckpoint(c);
        controller.abort();
      },
    },
  });
  const resume = decodeCheckpoint(saved as Uint8Array);
  const resumedAt = resume.step;
  const resumed = await runExperiment(run(), { runId: 'b', config: {}, options, resume });
  return { straight, resumed, resumedAt };
}

describeEachBackend('runExperiment', () => {
  it('learns an n=10, k=2 sparse parity to ≥ 99 % test accuracy on both replicas within 3,000 steps, without leaking tensors', async () => {
    const before = tf.memory().numTensors;
    const sink = memorySink();
    const summary = await runExperiment(parts(2), {
      runId: 'learn',
      config: {},
      options: { steps: 3000, batchSize: 32, evalEvery: 100, testSize: 1000, replicas: 2, seed: 0 },
      sink,
    });
    expect(summary.status).toBe('completed');
    expect(summary.successRate).toBe(1);
    for (const r of summary.replicas) {
      expect(r.testAccuracy).toBeGreaterThanOrEqual(0.99);
      expect(r.learnedAtStep).not.toBeNull();
    }
    expect(summary.steps).toBeLessThan(3000); // stopped once learned
    expect(sink.events.filter((e) => e.type === 'learned')).toHaveLength(2);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a sink that throws ends the run with that error and frees every tensor the run made', async () => {
    const before = tf.memory().numTensors;
    const options = { steps: 200, batchSize: 16, evalEvery: 50, testSize: 200, replicas: 2 };
    const failing = async (at: 'start' | 'eval' | 'checkpoint') =>
      runExperiment(parts(2), {
        runId: 'failing',
        config: {},
        options,
        sink: {
          event: (e) => {
            if (e.type === at || (at === 'eval' && e.type === 'eval' && e.step === 100))
              throw new Error(`${at} sink failed`);
          },
          checkpoint: (c) => {
            if (at === 'checkpoint' && c.step === 50) throw new Error('checkpoint sink failed');
          },
        },
      });
    for (const at of ['start', 'eval', 'checkpoint'] as const)
      await expect(failing(at)).rejects.toThrow(`${at} sink failed`);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('frees every tensor it made when setup, a step or a learner’s event throws midway', async () => {
    const options = { steps: 200, batchSize: 16, evalEvery: 50, testSize: 200, replicas: 2, stopWhenLearned: false };
    const base = parts(2);
    const failingTrainer = (at: 'init' | 'restore' | 'step'): Trainer => {
      let steps = 0;
      return {
        ...base.trainer,
        init: (model, params) => {
          if (at === 'init') throw new Error('init failed');
          return base.trainer.init(model, params);
        },
        restoreState: (model, saved) => {
          if (at === 'restore') throw new Error('restore failed');
          return base.trainer.restoreState(model, saved);
        },
        step: (state, batch) => {
          if (at === 'step' && ++steps === 30) throw new Error('step failed');
          return base.trainer.step(state, batch);
        },
      };
    };
    let saved: Uint8Array | undefined;
    await runExperiment(parts(2), {
      runId: 'r',
      config: {},
      options: { ...options, steps: 50 },
      sink: { event: () => {}, checkpoint: async (c) => void (saved = await encodeCheckpoint(c)) },
    });
    const before = tf.memory().numTensors;
    for (const at of ['init', 'step'] as const)
      await expect(
        runExperiment({ ...base, trainer: failingTrainer(at) }, { runId: 'r', config: {}, options }),
      ).rejects.toThrow(`${at} failed`);
    // A refused resume: the checkpoint stays the caller's, the run's own tensors are freed.
    const resume = decodeCheckpoint(saved as Uint8Array);
    await expect(
      runExperiment({ ...base, trainer: failingTrainer('restore') }, { runId: 'r', config: {}, options, resume }),
    ).rejects.toThrow('restore failed');
    tf.dispose([Object.values(resume.params), Object.values(resume.slots), Object.values(resume.initialParams)]);
    // A sink that throws on a stream learner's event, which comes between a step and its evaluation.
    const withLearner = { ...parts(2), learners: [createEliminationLearner({ n: 10 })] };
    await expect(
      runExperiment(withLearner, {
        runId: 'r',
        config: {},
        options,
        sink: {
          event: (e) => {
            if (e.type === 'learned' && typeof e.learner === 'string') throw new Error('learned sink failed');
          },
        },
      }),
    ).rejects.toThrow('learned sink failed');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses an unknown key in its options, naming a run option given beside `options` or a typo', async () => {
    const run = (extra: Record<string, unknown>) =>
      runExperiment(parts(1), { runId: 'k', config: {}, options: { steps: 1 }, ...extra } as never);
    await expect(run({ steps: 2 })).rejects.toThrow(
      /^runExperiment: unknown option "steps"; known: runId, .*; "steps" is a run option: give it under "options"$/,
    );
    await expect(run({ resum: undefined })).rejects.toThrow(
      /^runExperiment: unknown option "resum"; did you mean "resume"\? /,
    );
    for (const [runId, shown] of [
      [undefined, 'undefined'],
      [7, '7'],
      ['', '"" (a string)'],
    ] as const)
      await expect(run({ runId })).rejects.toThrow(
        `runExperiment: runId must be a non-empty string (the run's name in its record), but got ${shown}`,
      );
  });

  it('refuses a sink without event(e), and a checkpoint given as its bytes, in one line', async () => {
    const { task, model, trainer } = parts(1);
    const run = (extra: object) =>
      runExperiment({ task, model, trainer }, { runId: 's', config: {}, options: { steps: 1, replicas: 1 }, ...extra });
    await expect(run({ sink: {} })).rejects.toThrow(
      'runExperiment: sink must be a sink with event(e), such as memorySink() or fileSink(path), but got {}',
    );
    expect(() => combineSinks(memorySink(), undefined as never)).toThrow(
      'combineSinks: sink 1 must be a sink with event(e)',
    );
    await expect(run({ resume: new Uint8Array(8) })).rejects.toThrow(
      'resume: expected a checkpoint, decodeCheckpoint(bytes) of a saved one, but got its bytes',
    );
  });

  it('refuses parts it would not read (a misspelt learners), factories given for parts, and nothing to train', async () => {
    const run = (p: Record<string, unknown>) =>
      runExperiment(p as never, { runId: 'p', config: {}, options: { steps: 1, replicas: 1 } });
    const { task, model, trainer } = parts(1);
    await expect(run({ task, model, trainer, learner: [] })).rejects.toThrow(
      /^runExperiment: parts: unknown part "learner"; did you mean "learners"\? known: task, model, trainer, learners$/,
    );
    await expect(run({ task: createSparseParityTask, model, trainer })).rejects.toThrow(
      'runExperiment: parts.task must be a task (createSparseParityTask(…) and the like: an object with sample and testSet), not its factory',
    );
    await expect(run({ task, model: createDense, trainer })).rejects.toThrow(
      'runExperiment: parts.model must be a model (what its create… factory returns, with apply), not the factory',
    );
    await expect(run({ task, model, trainer: createSgd })).rejects.toThrow(
      'runExperiment: parts.trainer must be a trainer (what its create… factory returns, with step), not the factory',
    );
    await expect(run({ task })).rejects.toThrow(
      'runExperiment: nothing to train: give a model and a trainer, or stream learners (parts.learners)',
    );
    // Two learners of one name shared one verdict: the first's settling was reported for both.
    const twice = [createEliminationLearner({ n: 10 }), createEliminationLearner({ n: 10 })];
    await expect(run({ task, learners: twice })).rejects.toThrow(
      'runExperiment: parts.learners has two learners named "gf2-elimination"; a run keeps each learner\'s verdict and state by its name, so give each one learner of its kind',
    );
    // What @learnability/presets' resolve returns passes as it is, its config and options beside the parts.
    await expect(run({ task, model, trainer, config: {}, options: { steps: 1, replicas: 1 } })).resolves.toMatchObject({
      status: 'completed',
    });
  });

  it("refuses run options in parts that differ from the run's (they were ignored); resolve's own pass, and apply when the run gives none", async () => {
    const { task, model, trainer } = parts(1);
    const run = (options: object) =>
      runExperiment({ task, model, trainer, options } as never, {
        runId: 'o',
        config: {},
        options: { steps: 2, evalEvery: 1, replicas: 1 },
      });
    await expect(run({ steps: 50, replicas: 1 })).rejects.toThrow(
      "runExperiment: parts.options differ from the run's options, and would be ignored: give run options as runExperiment's second argument ({ options })",
    );
    await expect(run({ steps: 2, evalEvery: 1, replicas: 1 })).resolves.toMatchObject({
      status: 'completed',
      steps: 2,
    });
    // A run that gives no options of its own runs with those beside the parts.
    const fromParts = { steps: 3, evalEvery: 1, testSize: 50, replicas: 1 };
    await expect(
      runExperiment({ task, model, trainer, options: fromParts } as never, { runId: 'p', config: {} }),
    ).resolves.toMatchObject({ status: 'completed', steps: 3 });
  });

  it('refuses a trainer whose loss reads signs on a task of real targets, which trained to the end towards nothing', async () => {
    const { task, model } = parts(1);
    const real = { ...task, outputKind: 'real' as const };
    const options = { steps: 2, evalEvery: 1, testSize: 50, replicas: 1 };
    await expect(
      runExperiment({ task: real, model, trainer: createSgd() }, { runId: 't', config: {}, options }),
    ).rejects.toThrow(
      'trainer "sgd" reads targets as signs ±1 (its loss), but task "sparse-parity" has real-valued targets; give the trainer a loss for them, e.g. loss: "mse"',
    );
    await expect(
      runExperiment({ task: real, model, trainer: createSgd({ loss: 'mse' }) }, { runId: 't', config: {}, options }),
    ).resolves.toMatchObject({ status: 'completed' });
  });

  it('refuses a model of another replica count than run.replicas, naming both fixes', async () => {
    await expect(
      runExperiment(parts(1), { runId: 'r', config: {}, options: { steps: 1, replicas: 3 } }),
    ).rejects.toThrow(
      'model has 1 replicas but run.replicas is 3; create the model with replicas: 3, or set run.replicas to 1',
    );
  });

  it('a run that stopped once learned, killed after its last checkpoint, resumes to its end there, not one interval on', async () => {
    const options = { steps: 3000, batchSize: 32, evalEvery: 50, testSize: 500, replicas: 2, seed: 1 };
    let last: Uint8Array | undefined;
    const finals: [number, boolean][] = [];
    const straight = await runExperiment(parts(2), {
      runId: 'l',
      config: {},
      options,
      // The checkpoints as a kill after the last one leaves them (the end line never written).
      sink: {
        event: () => {},
        checkpoint: async (c, at) => {
          finals.push([c.step, at.final]);
          last = await encodeCheckpoint(c);
        },
      },
    });
    expect(straight.successRate, 'the run learned and stopped').toBe(1);
    expect(straight.steps).toBeLessThan(options.steps);
    // The sink is told which checkpoint ends the run (the lab's Pause does not hold there).
    expect(finals.filter(([, final]) => final)).toEqual([[straight.steps, true]]);
    expect(finals.at(-1)).toEqual([straight.steps, true]);
    const resumed = await runExperiment(parts(2), {
      runId: 'l',
      config: {},
      options,
      resume: decodeCheckpoint(last as Uint8Array),
    });
    const { wallSeconds: _a, ...want } = straight;
    const { wallSeconds: _b, ...got } = resumed;
    expect(got).toEqual(want);
  });

  it('a resumed run whose stop came before it began stops at its checkpoint, training nothing', async () => {
    const options = {
      steps: 300,
      batchSize: 16,
      evalEvery: 100,
      testSize: 100,
      replicas: 2,
      seed: 3,
      stopWhenLearned: false,
    };
    let first: Uint8Array | undefined;
    await runExperiment(parts(2), {
      runId: 's',
      config: {},
      options,
      sink: { event: () => {}, checkpoint: async (c) => void (first ??= await encodeCheckpoint(c)) },
    });
    const sink = memorySink();
    const stopped = await runExperiment(parts(2), {
      runId: 's',
      config: {},
      options,
      sink,
      signal: AbortSignal.abort(),
      resume: decodeCheckpoint(first as Uint8Array),
    });
    expect([stopped.status, stopped.steps]).toEqual(['stopped', 100]);
    expect(sink.events.filter((e) => e.type === 'eval')).toEqual([]);
  });

  it('yields to the event loop between evaluations too, so a Ctrl-C handler or Stop runs at once', async () => {
    let timerRan = false;
    let ranBy: number | null = null;
    const p = parts(1);
    const watching: Trainer = {
      ...p.trainer,
      init: (model, params) => p.trainer.init(model, params),
      step: (state, batch) => {
        if (timerRan && ranBy === null) ranBy = state.step;
        // ≥ 0.5 ms a step on any machine: 2,000 steps outlast several 250 ms yields.
        const until = performance.now() + 0.5;
        while (performance.now() < until);
        return p.trainer.step(state, batch);
      },
      dispose: (state) => p.trainer.dispose(state),
    };
    setTimeout(() => (timerRan = true), 10);
    const options = { steps: 2000, batchSize: 8, evalEvery: 2000, testSize: 50, stopWhenLearned: false };
    await runExperiment(
      { ...p, trainer: watching },
      { runId: 'y', config: {}, options, signal: new AbortController().signal },
    );
    // The timer ran during training, within about one yield (≤ 500 steps here), long before the only evaluation.
    expect(ranBy).not.toBeNull();
    expect(ranBy as unknown as number).toBeLessThan(1000);
  });

  it("refuses another run's checkpoint, or one of another model size, before it trains or writes anything", async () => {
    const options = { steps: 100, batchSize: 16, evalEvery: 100, testSize: 100, replicas: 2, seed: 3 };
    let saved: Uint8Array | undefined;
    await runExperiment(parts(2), {
      runId: 'b',
      config: {},
      options,
      sink: { event: () => {}, checkpoint: async (c) => void (saved = await encodeCheckpoint(c)) },
    });
    const before = tf.memory().numTensors;
    for (const [runId, n, why] of [
      ['c', 10, /^resume: the checkpoint is run b's, not c's; resume with the run's own checkpoint$/],
      ['b', 12, /^resume: the checkpoint holds 3,074 parameters, but this run's model has 3,586;/],
    ] as const) {
      const resume = decodeCheckpoint(saved as Uint8Array);
      const sink = memorySink();
      await expect(runExperiment(parts(2, 0.1, n), { runId, config: {}, options, sink, resume })).rejects.toThrow(why);
      expect(sink.events).toEqual([]);
      tf.dispose([Object.values(resume.params), Object.values(resume.slots), Object.values(resume.initialParams)]);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a run resumed from its last checkpoint, with no steps left, ends with that evaluation’s scores', async () => {
    // As when a run is killed after its last checkpoint but before its end line.
    const options = { steps: 200, batchSize: 16, evalEvery: 100, testSize: 200, replicas: 2, seed: 3 };
    const { straight, resumed } = await stopAndResume({ ...options, stopWhenLearned: false }, 200);
    const scores = (events: RunEvent[]) => {
      const end = events.find((e) => e.type === 'end');
      return end?.summary.replicas.map((r) => [r.testAccuracy, r.testError, r.finalLoss]);
    };
    expect(resumed.events.filter((e) => e.type === 'eval')).toEqual([]);
    expect(
      scores(resumed.events)
        ?.flat()
        .every((v) => typeof v === 'number' && Number.isFinite(v)),
    ).toBe(true);
    expect(scores(resumed.events)).toEqual(scores(straight.events));
  });

  it('a run stopped at a checkpoint and resumed gives the same evals as one uninterrupted run', async () => {
    const options = {
      steps: 400,
      batchSize: 16,
      evalEvery: 100,
      testSize: 200,
      replicas: 2,
      seed: 3,
      stopWhenLearned: false,
    };
    const { straight, first, resumed } = await stopAndResume(options, 200);
    // Every event but its timings: evals (samplesSeen, losses, train and test scores, measures),
    // learned events, and the summary (learned-at steps, samples, scores), all restored or carried on.
    const untimed = (events: RunEvent[], upTo = Number.POSITIVE_INFINITY) =>
      events.flatMap((e): object[] => {
        if (e.type === 'eval' && e.step <= upTo) {
          const { msPerStep: _m, elapsedSeconds: _e, ...rest } = e;
          return [rest];
        }
        if (e.type === 'learned' && e.step <= upTo) return [e];
        if (e.type === 'end' && upTo === Number.POSITIVE_INFINITY) {
          const { wallSeconds: _w, runId: _r, ...rest } = e.summary;
          return [{ type: 'end', summary: rest }];
        }
        return [];
      });
    const whole = untimed(straight.events);
    const learned = straight.events.filter((e) => e.type === 'learned');
    expect(learned.length, 'learned events to compare').toBeGreaterThan(0);
    expect([...untimed(first.events, 200), ...untimed(resumed.events)]).toEqual(whole);
    // Wall time goes on from the checkpoint's: the resumed session's evals and summary count both sessions.
    const seconds = (events: RunEvent[]) => events.filter((e) => e.type === 'eval').map((e) => e.elapsedSeconds);
    const atCheckpoint = seconds(first.events)[1] as number;
    expect(seconds(resumed.events).every((s) => s > atCheckpoint)).toBe(true);
    const end = resumed.events.find((e) => e.type === 'end');
    expect(end?.summary.wallSeconds).toBeGreaterThan(atCheckpoint);
  });

  it('times itself on the clock it is given (the lab leaves Pause out), for elapsed, wall and ms per step', async () => {
    // A clock that advances 2 ms each time it is read: every time the run reports comes from it.
    let t = 0;
    const clock = () => (t += 2);
    const sink = memorySink();
    const options = { steps: 20, batchSize: 8, evalEvery: 10, testSize: 50, stopWhenLearned: false };
    await runExperiment(parts(1), { runId: 'c', config: {}, options, sink, clock });
    const evals = sink.events.filter((e): e is EvalEvent => e.type === 'eval');
    // Real time would give fractions of a ms; this clock gives whole multiples of 2 ms only.
    const wholeTicks = (ms: number) => Math.abs(ms / 2 - Math.round(ms / 2)) < 1e-9;
    evals.forEach((e, i) => {
      const steps = Math.max(e.step - (evals[i - 1]?.step ?? 0), 1);
      expect([e.elapsedSeconds * 1000, e.msPerStep * steps].every(wholeTicks)).toBe(true);
    });
    const end = sink.events.find((e) => e.type === 'end');
    const wallMs = (end?.summary.wallSeconds ?? Number.NaN) * 1000;
    expect(wholeTicks(wallMs) && wallMs > 0 && wallMs < t).toBe(true);
  });

  for (const shuffle of [false, true]) {
    it(`a resumed run on a fixed training set (${shuffle ? 'epoch shuffles' : 'drawn with replacement'}) trains on the same set: same evals as one uninterrupted run`, async () => {
      const options = {
        steps: 120,
        batchSize: 16,
        evalEvery: 40,
        testSize: 100,
        replicas: 2,
        seed: 5,
        stopWhenLearned: false,
        trainSetSize: 48,
        shuffle,
      };
      const { straight, first, resumed } = await stopAndResume(options, 40);
      const evals = (events: RunEvent[]) =>
        events
          .filter((e): e is EvalEvent => e.type === 'eval')
          .map((e) => [e.step, e.loss, e.trainAccuracy, e.testAccuracy]);
      expect([...evals(first.events).slice(0, 1), ...evals(resumed.events)]).toEqual(evals(straight.events));
    });
  }

  it('a learner settled before the checkpoint is scored at evaluations after it, as in the uninterrupted run', async () => {
    // Settles at its 8th sample, and is accurate only from its 24th: in a straight run, scored when
    // it settles (step 1: wrong) and then at evaluations (step 4, 32 samples: right). Resumed from
    // the step-2 checkpoint it must not be "just settled" at step 3, which would credit sample 8.
    const learner = (): StreamLearner => {
      let seen = 0;
      let settledAt: number | null = null;
      return {
        name: 'slow-to-be-right',
        observe: (_x, y) => {
          seen += y.length;
          if (seen >= 8) settledAt ??= 8;
          return settledAt !== null;
        },
        get samplesSeen() {
          return seen;
        },
        get settledAtSample() {
          return settledAt;
        },
        accuracy: () => (seen >= 24 ? 1 : 0),
        describe: () => ({ name: 'slow-to-be-right' }),
        saveState: () => ({ seen, settledAt }),
        restoreState: (s) => {
          ({ seen, settledAt } = s as { seen: number; settledAt: number | null });
        },
      };
    };
    const run = () => ({ ...parts(1, 0.1, 10, 2), learners: [learner()] });
    const options = {
      steps: 6,
      batchSize: 8,
      evalEvery: 2,
      testSize: 50,
      replicas: 1,
      seed: 4,
      stopWhenLearned: false,
    };
    const { straight, resumed, resumedAt } = await straightAndResumedAtFirstCheckpoint(run, options);
    expect(straight.learners[0]?.learnedAtSample).toBe(32);
    expect(resumedAt).toBe(2);
    expect(resumed.learners).toEqual(straight.learners);
  });

  it('a resumed run continues its stream learners from the checkpoint: same learned-at sample and test accuracy', async () => {
    // n = 40 needs ≈ 40 samples: batch 8, so elimination is half-way at the step-2 checkpoint.
    const run = () => ({ ...parts(1, 0.1, 40, 3), learners: [createEliminationLearner({ n: 40 })] });
    const options = {
      steps: 12,
      batchSize: 8,
      evalEvery: 2,
      testSize: 200,
      replicas: 1,
      seed: 4,
      stopWhenLearned: false,
    };
    const { straight, resumed } = await straightAndResumedAtFirstCheckpoint(run, options);
    expect(straight.learners[0]?.learnedAtSample).not.toBeNull();
    expect(straight.learners[0]?.testAccuracy).toBe(1);
    expect(resumed.learners).toEqual(straight.learners);
  });

  it('a timer can stop a run: the loop yields to the event loop at each evaluation', async () => {
    const controller = new AbortController();
    const summary = await runExperiment(parts(1), {
      runId: 'timer',
      config: {},
      options: { steps: 100_000, batchSize: 8, evalEvery: 10, testSize: 50, replicas: 1, stopWhenLearned: false },
      signal: controller.signal,
      // A timer set at the first evaluation, as a Stop message or a wall-clock budget would be.
      sink: { event: (e) => void (e.type === 'eval' && e.step === 10 && setTimeout(() => controller.abort(), 0)) },
    });
    expect(summary.status).toBe('stopped');
    expect(summary.steps).toBe(10);
    // Stream learners alone (no model) yield at each evaluation too: the lab's Stop waited for the end.
    const alone = new AbortController();
    setTimeout(() => alone.abort(), 0);
    const learnersOnly = await runExperiment(
      { task: parts(1, 0.1, 3_000, 3).task, learners: [createEliminationLearner({ n: 3_000 })] },
      {
        runId: 'learners',
        config: {},
        options: { steps: 100_000, batchSize: 1, evalEvery: 10, testSize: 50, replicas: 1 },
        signal: alone.signal,
      },
    );
    expect([learnersOnly.status, learnersOnly.steps]).toEqual(['stopped', 10]);
  });

  it('a stop that reaches the run at its last evaluation leaves it completed, not stopped', async () => {
    const controller = new AbortController();
    const finals: [number, boolean][] = [];
    const summary = await runExperiment(parts(1), {
      runId: 'last',
      config: {},
      options: { steps: 20, batchSize: 8, evalEvery: 10, testSize: 50, replicas: 1, stopWhenLearned: false },
      signal: controller.signal,
      sink: {
        event: (e) => void (e.type === 'eval' && e.step === 20 && controller.abort()),
        checkpoint: (c, at) => void finals.push([c.step, at.final]),
      },
    });
    expect([summary.status, summary.steps]).toEqual(['completed', 20]);
    // Its last step ends it, without stopWhenLearned: only that checkpoint is final.
    expect(finals).toEqual([
      [10, false],
      [20, true],
    ]);
  });

  // On webgpu too: there it needs @learnability/backends' guard of tfjs 4.22's batched matMul
  // (guard-matmul-reads.ts), without which the NaN replica poisons replica 0.
  it('a diverged replica fails alone: it is frozen, the others reach their normal learned-at steps', async () => {
    const options = { steps: 3000, batchSize: 32, evalEvery: 50, testSize: 1000, replicas: 3, seed: 0 };
    const normal = await runExperiment(parts(3, 0.1, 16, 3), { runId: 'normal', config: {}, options });
    // The same run, with replica 1's weights set to NaN after step 75 (as an overflow would).
    const p = parts(3, 0.1, 16, 3);
    const sabotaged: Trainer = {
      ...p.trainer,
      init: (model, params) => p.trainer.init(model, params),
      step: (state, batch) => {
        const out = p.trainer.step(state, batch);
        if (out.state.step !== 75) return out;
        const params = Object.fromEntries(
          Object.entries(out.state.params).map(([k, t]) => {
            const poisoned = tf.tidy(() =>
              tf.where(
                tf.reshape(tf.tensor1d([false, true, false], 'bool'), [3, ...t.shape.slice(1).map(() => 1)]),
                tf.fill(t.shape, Number.NaN),
                t,
              ),
            );
            t.dispose();
            return [k, poisoned];
          }),
        );
        return { ...out, state: { ...out.state, params } };
      },
      dispose: (state) => p.trainer.dispose(state),
    };
    const before = tf.memory().numTensors;
    const sink = memorySink();
    const summary = await runExperiment(
      { ...p, trainer: sabotaged },
      { runId: 'one-diverges', config: {}, options, sink },
    );
    expect(normal.successRate).toBe(1);
    expect(summary.status).toBe('completed');
    expect(summary.replicas.map((r) => r.divergedAtStep)).toEqual([null, 100, null]);
    expect(summary.replicas[0]?.learnedAtStep).toBe(normal.replicas[0]?.learnedAtStep);
    expect(summary.replicas[2]?.learnedAtStep).toBe(normal.replicas[2]?.learnedAtStep);
    expect(summary.replicas[0]?.testAccuracy).toBe(normal.replicas[0]?.testAccuracy);
    expect(summary.replicas[1]?.learnedAtStep).toBeNull();
    // Frozen at its step-50 weights: finite scores, and the same at every later evaluation.
    const evals = sink.events.filter((e): e is EvalEvent => e.type === 'eval');
    expect(evals[0]?.testAccuracy[1]).not.toBeNull();
    expect(summary.replicas[1]?.testAccuracy).toBe(evals[0]?.testAccuracy[1]);
    expect(evals.at(-1)?.testAccuracy[1]).toBe(evals[0]?.testAccuracy[1]);
    // It stopped once the two others had learned, not at the step limit.
    expect(summary.steps).toBe(
      Math.max(normal.replicas[0]?.learnedAtStep ?? 0, normal.replicas[2]?.learnedAtStep ?? 0),
    );
    expect(summary.message).toBe('2/3 learned, replica 1 diverged at step 100 (lr too high?)');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops with status "diverged" and a message naming the fix when the loss blows up', async () => {
    const task = createSparseParityTask({ n: 10, k: 2, seed: 1 });
    const summary = await runExperiment(
      {
        task,
        model: createDense({ inputSize: 10, widths: [64], replicas: 1 }),
        trainer: createSgd({ lr: 1e6, loss: 'mse' }),
      },
      { runId: 'boom', config: {}, options: { steps: 500, evalEvery: 10, testSize: 100 } },
    );
    expect(summary.status).toBe('diverged');
    expect(summary.message).toMatch(/training diverged at step \d+: replica 0 has loss .*; lower the learning rate/);
  });
});

// Stream learners run on the host; their task's test set is a tensor on any backend: cpu, set up
// here so that these blocks run alone (`-t`) as well as after the blocks above.
describe('stream learners alone', () => {
  beforeAll(() => setupTestBackend('cpu'));
  it('GF(2) elimination learns an n=64 parity from about n samples and is exact on the test set', async () => {
    const task = createSparseParityTask({ n: 64, k: 5, seed: 2 });
    const summary = await runExperiment(
      { task, learners: [createEliminationLearner({ n: 64 })] },
      { runId: 'gf2', config: {}, options: { steps: 84, batchSize: 1, testSize: 500 } },
    );
    const learner = summary.learners[0];
    expect(learner?.learnedAtSample).toBeGreaterThanOrEqual(64);
    expect(learner?.learnedAtSample).toBeLessThanOrEqual(84);
    expect(learner?.testAccuracy).toBe(1);
    expect(summary.steps).toBe(learner?.learnedAtSample);
    // No replica was trained: the run's verdict is its learner's, not that of a replica that never was.
    expect(summary.replicas).toEqual([]);
    expect([summary.successRate, summary.learnedAtStep, summary.testAccuracy]).toEqual([
      1,
      learner?.learnedAtSample,
      1,
    ]);
    // run.stopWhenLearned: false runs every step after the learner has learned, at the same sample.
    const all = await runExperiment(
      { task, learners: [createEliminationLearner({ n: 64 })] },
      { runId: 'gf2-all', config: {}, options: { steps: 84, batchSize: 1, testSize: 500, stopWhenLearned: false } },
    );
    expect([all.steps, all.learners[0]?.learnedAtSample]).toEqual([84, learner?.learnedAtSample]);
  });
});

describe('one verdict rule for networks and stream learners', () => {
  beforeAll(() => setupTestBackend('cpu'));
  it('noisy parity: GF(2) elimination settles at full rank but is judged not learned, with its inconsistent samples and the reason', async () => {
    const task = createSparseParityTask({ n: 20, k: 3, noise: 0.1, seed: 3 });
    const events: string[] = [];
    const summary = await runExperiment(
      { task, learners: [createEliminationLearner({ n: 20 })] },
      {
        runId: 'gf2-noisy',
        config: {},
        options: { steps: 400, batchSize: 1, evalEvery: 50, testSize: 1_000 },
        sink: { event: (e) => void events.push(e.type) },
      },
    );
    const learner = summary.learners[0];
    expect(learner?.learnedAtSample).toBeNull();
    expect(learner?.reason).toBe('the samples are inconsistent (label noise?)');
    expect(learner?.counts?.rank).toBe(20);
    // Test labels are clean: a wrong parity is right on half of them.
    expect(Math.abs((learner?.testAccuracy as number) - 0.5)).toBeLessThan(0.06);
    // After full rank about half of ~380 examples contradict the wrong solution.
    expect(learner?.counts?.inconsistentSamples).toBeGreaterThan(100);
    expect(events).not.toContain('learned');
    // Not learned, so a learner-only run reads the whole stream.
    expect(summary.steps).toBe(400);
  });

  it('clean parity: the same learner is judged learned at its full-rank sample, with no reason given', async () => {
    const task = createSparseParityTask({ n: 20, k: 3, seed: 3 });
    const summary = await runExperiment(
      { task, learners: [createEliminationLearner({ n: 20 })] },
      { runId: 'gf2-clean', config: {}, options: { steps: 400, batchSize: 1, evalEvery: 50, testSize: 1_000 } },
    );
    const learner = summary.learners[0];
    expect(learner?.learnedAtSample).toBeGreaterThanOrEqual(20);
    expect(learner?.reason).toBeUndefined();
    expect(learner?.counts).toEqual({ rank: 20, inconsistentSamples: 0 });
    expect(summary.steps).toBe(learner?.learnedAtSample);
  });
});

describe('run records', () => {
  it('parseRecord tolerates a torn last line and rejects a malformed middle line with its number', () => {
    const start = eventToLine({
      type: 'start',
      runId: 'x',
      config: {},
      backend: 'cpu',
      replicas: 1,
      paramCount: 1,
      totalSteps: 1,
      startStep: 0,
      versions: {},
    });
    expect(parseRecord(`${start}{"type":"ev`).starts).toHaveLength(1);
    expect(() => parseRecord(`${start}nonsense\n${start}`, 'r.jsonl')).toThrow('r.jsonl:2: not a JSON line');
    expect(() => parseRecord('', 'r.jsonl')).toThrow('r.jsonl: no "start" line');
    // An older record's eval line, without scores or measures: read as a run writes it now.
    const old = parseRecord(
      `${start.replace('"replicas":1', '"replicas":2')}{"type":"eval","step":10,"loss":[0.5,0.25]}\n`,
    );
    expect(old.evals[0]).toMatchObject({
      trainAccuracy: [null, null],
      testAccuracy: [null, null],
      testError: [null, null],
      measures: {},
    });
    // Two runs in one file (`cat a.jsonl b.jsonl`), and a learned line without its samples.
    expect(() => parseRecord(`${start}${start.replace('"x"', '"y"')}`, 'r.jsonl')).toThrow(
      'r.jsonl:2: a start line of run "y" in the record of run "x": one file holds one run (and its resumed sessions); split the file',
    );
    expect(() => parseRecord(`${start}{"type":"learned","step":10,"learner":0}\n`, 'r.jsonl')).toThrow(
      'r.jsonl:2: a damaged "learned" line: its "samples" must be an integer ≥ 0, but got nothing',
    );
    // Lists of another length than the run's replicas, accuracies past 1 (plot drew both).
    expect(() => parseRecord(`${start}{"type":"eval","step":10,"loss":[1,2,3]}\n`, 'r.jsonl')).toThrow(
      'r.jsonl:2: a damaged "eval" line: its "loss" has 3 values, but the run has 1 replica',
    );
    expect(() => parseRecord(`${start}{"type":"eval","step":10,"loss":[1],"testAccuracy":[5]}\n`, 'r.jsonl')).toThrow(
      'r.jsonl:2: a damaged "eval" line: its "testAccuracy" must be accuracies in [0, 1] (null where none), but got [5]',
    );
    // An end line without the summary's steps and status (plot said "ended at step undefined").
    expect(() => parseRecord(`${start}{"type":"end","summary":{}}\n`, 'r.jsonl')).toThrow(
      'r.jsonl:2: a damaged "end" line: its "summary.steps" must be an integer ≥ 0, but got nothing',
    );
    expect(() => parseRecord(`${start}{"type":"end","summary":{"steps":5}}\n`, 'r.jsonl')).toThrow(
      'r.jsonl:2: a damaged "end" line: its "summary.status" must be a string, but got nothing',
    );
  });

  it('checkpoints round-trip every tensor and field', async () => {
    const fields = {
      step: 7,
      samplesSeen: 70,
      dataRngs: [[1, 2, 3, 4, Number.NaN]],
      learnedAtStep: [null],
      divergedAtStep: [40],
      learnersLearned: { a: 3 },
      learnerStates: { a: { rows: [1, -2] } },
    };
    const c: Checkpoint = {
      ...fields,
      params: { w: tf.tensor([1, 2, 3], [1, 3]) },
      slots: { 'w.m': tf.tensor([0.5], [1, 1]) },
      initialParams: { w: tf.tensor([0, 0, 1], [1, 3]) },
    };
    const back = decodeCheckpoint(await encodeCheckpoint(c));
    // The generator's NaN spare (no cached normal) goes through JSON as null and comes back NaN.
    expect(back).toMatchObject(fields);
    for (const group of ['params', 'slots', 'initialParams'] as const) {
      const read = (ts: Record<string, tf.Tensor>) =>
        Object.fromEntries(
          Object.entries(ts).map(([k, t]) => [k, { shape: t.shape, values: Array.from(t.dataSync()) }]),
        );
      expect(read(back[group]), group).toEqual(read(c[group]));
    }
    expect(() => decodeCheckpoint(new Uint8Array([1, 0]))).toThrow('checkpoint: file shorter than its header');
    tf.dispose([c.params, c.slots, c.initialParams, back.params, back.slots, back.initialParams]);
  });
});
