import * as tf from '@tensorflow/tfjs-core';
import {
  LearnabilityError,
  assert,
  hashString,
  replicaRngs,
  restoreRng,
  showValue,
  unknownKeyMessage,
} from '@learnability/core';
import type {
  Model,
  Params,
  RunOptions,
  RunSummary,
  StreamLearner,
  Task,
  Trainer,
  TrainerState,
} from '@learnability/core';
import type { Checkpoint } from './checkpoint.js';
import { distanceFromInit, evaluateShared, hostScores, scoreBatch } from './evaluate.js';
import { RUN_SCHEMA, resolveRunOptions } from './options.js';
import { ReplicaSampler } from './sampler.js';
import { assertSink } from './sink.js';
import type { RunSink } from './sink.js';
import { Progress } from './progress.js';
import { ReplicaFreeze, describeReplicaOutcome } from './replica-freeze.js';

/** What to train. Without a model and trainer the run feeds the stream learners alone. */
export interface ExperimentParts {
  task: Task;
  model?: Model;
  trainer?: Trainer;
  /** Non-network learners that read replica 0's sample stream (e.g. GF(2) elimination). */
  learners?: StreamLearner[];
}

/**
 * How `runExperiment` runs and records one run: its id and config for the record, the run options
 * (`RUN_SCHEMA`; any not given take their defaults), where its events go, and how to stop or resume
 * it. Any other key throws a `LearnabilityError` (a run option belongs under `options`).
 */
export interface RunExperimentOptions {
  runId: string;
  /** The config the run was resolved from, copied into the record. */
  config: unknown;
  /**
   * Left out: the `options` beside the parts (what `@learnability/presets`' `resolve` returns), else
   * every default.
   */
  options?: Partial<RunOptions>;
  sink?: RunSink;
  /**
   * Aborting stops the run at the next evaluation with status 'stopped'. With a signal the loop
   * yields to timers and messages at every evaluation and at most every 250 ms between them.
   */
  signal?: AbortSignal;
  /**
   * Continue from this checkpoint. Once the trainer has restored it, its tensors are the run's
   * (freed with the run's state); one the run refuses (another run's, another model's, a trainer
   * that rejects it) stays the caller's to free.
   */
  resume?: Checkpoint;
  /** Package versions for the record. */
  versions?: Record<string, string>;
  /**
   * The run's clock in ms, for `elapsedSeconds`, `wallSeconds` and `msPerStep`. Default
   * `performance.now`; the lab passes one that stands still while Pause holds the run.
   */
  clock?: () => number;
  /** How the backend runs (e.g. "2 threads (--threads)"), for the start event. */
  backendDetail?: string;
}

/** The fixed test set does not depend on the run seed, so packed replicas see the same one. */
export const TEST_SET_SEED = hashString('learnability:test-set');

/** `RunExperimentOptions`' keys: any other is a mistake (a run option beside `options`, a typo). */
const RUN_KEYS = ['runId', 'config', 'options', 'sink', 'signal', 'resume', 'versions', 'clock', 'backendDetail'];
const PART_KEYS = ['task', 'model', 'trainer', 'learners'];
/** What `resolve` of @learnability/presets returns beside the parts, so that its result passes as it is. */
const RESOLVED_KEYS = ['config', 'options'];

/**
 * `parts` as runExperiment reads them, or one line saying what is wrong: a misspelt key (`learner`)
 * left its part out without a word, and a run with neither a network nor learners trained nothing.
 */
function checkParts(parts: ExperimentParts): void {
  assert(
    typeof parts === 'object' && parts !== null,
    'runExperiment: the first argument must be { task, model, trainer, learners? }',
  );
  for (const key of Object.keys(parts))
    if (!PART_KEYS.includes(key) && !RESOLVED_KEYS.includes(key))
      throw new LearnabilityError(`runExperiment: parts: ${unknownKeyMessage(key, PART_KEYS, 'part')}`);
  const { task, model, trainer, learners } = parts;
  assert(
    typeof task?.sample === 'function' && typeof task.testSet === 'function',
    task === undefined
      ? 'runExperiment: parts.task is missing: give the task to train on (createSparseParityTask(…) and the like)'
      : 'runExperiment: parts.task must be a task (createSparseParityTask(…) and the like: an object with sample and testSet), not its factory',
  );
  for (const [name, part, method] of [
    ['model', model, 'apply'],
    ['trainer', trainer, 'step'],
  ] as const)
    assert(
      // An object: a factory function has an `apply` too (Function.prototype's).
      part === undefined ||
        (typeof part === 'object' && typeof (part as unknown as Record<string, unknown>)[method] === 'function'),
      `runExperiment: parts.${name} must be a ${name} (what its create… factory returns, with ${method}), not the factory`,
    );
  assert(
    learners === undefined || Array.isArray(learners),
    'runExperiment: parts.learners must be an array of stream learners',
  );
  // Learners are kept by name (their verdicts, their checkpointed states): two of one name would
  // share one, and one's verdict be reported for both.
  const names = (learners ?? []).map((l) => l?.name);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  assert(
    twice === undefined,
    () =>
      `runExperiment: parts.learners has two learners named "${twice}"; a run keeps each learner's verdict and state by its name, so give each one learner of its kind`,
  );
  assert(
    model !== undefined || (learners?.length ?? 0) > 0,
    'runExperiment: nothing to train: give a model and a trainer, or stream learners (parts.learners)',
  );
}

/**
 * A turn of the event loop. On wasm and cpu the loop's reads resolve as microtasks, so without it
 * nothing else (a Stop message, a budget timer) could run, nor abort the signal, until the end.
 */
const macrotask = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Between evaluations the loop yields too, at most this often (ms): a Ctrl-C's handler (or a Stop
 * message) then runs at once and says so, where it waited for the next evaluation (over a minute
 * for a slow model). A yield costs ~1 ms in Node and up to ~4 ms in a browser (nested timers are
 * clamped): 0.4–1.6 % of the time.
 */
const YIELD_MS = 250;

/**
 * The one training loop: sample → step → evaluate → events, with
 * learned-at-step per replica, hidden-progress measures, divergence detection and checkpoints.
 * A replica whose loss or weights stop being finite is frozen at its last finite state while
 * the others train on (`ReplicaFreeze`); the run stops as diverged only when all have.
 */
export async function runExperiment(parts: ExperimentParts, run: RunExperimentOptions): Promise<RunSummary> {
  checkParts(parts);
  assert(
    typeof run === 'object' && run !== null,
    'runExperiment: the second argument must be { runId, config, options, … }',
  );
  // The record's and checkpoint's key: a run without one wrote `runId: undefined` into both.
  assert(
    typeof run.runId === 'string' && run.runId !== '',
    () =>
      `runExperiment: runId must be a non-empty string (the run's name in its record), but got ${showValue(run.runId)}`,
  );
  for (const key of Object.keys(run))
    if (!RUN_KEYS.includes(key))
      throw new LearnabilityError(
        `runExperiment: ${unknownKeyMessage(key, RUN_KEYS)}${Object.hasOwn(RUN_SCHEMA.fields, key) ? `; "${key}" is a run option: give it under "options"` : ''}`,
      );
  if (run.sink !== undefined) assertSink(run.sink, 'runExperiment: sink');
  // resolve's result carries the run options it was made with: they apply when the run gives none,
  // and must agree with the run's where it gives its own.
  const given = (parts as { options?: Partial<RunOptions> }).options;
  const o = resolveRunOptions(run.options ?? given);
  assert(
    given === undefined ||
      given === run.options ||
      JSON.stringify(resolveRunOptions(given as Partial<RunOptions>)) === JSON.stringify(o),
    "runExperiment: parts.options differ from the run's options, and would be ignored: give run options as runExperiment's second argument ({ options })",
  );
  const { task, model, trainer, learners = [] } = parts;
  assert(
    (model === undefined) === (trainer === undefined),
    'runExperiment: give a model and a trainer together, or neither',
  );
  if (model) checkModelFitsTask(model, task, o);
  // A sign loss on real or one-hot targets trained to the end towards nothing the task scores.
  assert(
    trainer?.targets === undefined || trainer.targets === task.outputKind,
    () =>
      `trainer "${trainer?.name}" reads ${trainer?.targets === 'sign' ? 'targets as signs ±1 (its loss)' : `${trainer?.targets} targets`}, but task "${task.name}" has ${task.outputKind === 'class' ? 'one-hot class' : task.outputKind === 'real' ? 'real-valued' : 'sign'} targets; give the trainer a loss for them, e.g. loss: "mse"`,
  );
  const R = o.replicas;
  const now = run.clock ?? (() => performance.now());
  const started = now();
  const resume = run.resume;
  if (resume) checkOwnCheckpoint(resume, run.runId, model ? R * model.paramCount : null);
  // Wall seconds over every session: a resumed run goes on from its checkpoint's.
  const elapsed = () => (resume?.elapsedSeconds ?? 0) + (now() - started) / 1000;
  const startRngs = replicaRngs(o.seed, R).map((r) => r.fork('data'));
  const dataRngs = resume ? resume.dataRngs.map(restoreRng) : startRngs;
  assert(
    dataRngs.length === R,
    () => `resume: the checkpoint has ${dataRngs.length} replicas but the run asks for ${R}`,
  );
  // Fixed training sets come from the run's starting generators, so a resumed run gets the same ones.
  const sampler = new ReplicaSampler(task, dataRngs, o.batchSize, o.trainSetSize, o.shuffle, startRngs);
  const test = task.testSet(o.testSize, TEST_SET_SEED);
  let progress: Progress;
  let state: TrainerState | undefined;
  let initial: Params = {};
  // Until the loop's `finally` owns them: a setup step that throws (a checkpoint the trainer or a
  // learner refuses, a trainer that does not fit the model) frees the test set and new parameters.
  try {
    // Stream learners score themselves on the test set's host arrays (read back once, only if needed).
    const testHost =
      test.host ??
      (learners.length
        ? { x: (await test.x.data()) as Float32Array, y: (await test.y.data()) as Float32Array }
        : { x: new Float32Array(0), y: new Float32Array(0) });
    progress = new Progress(R, learners, resume, testHost, o.learnedThreshold);
    for (const learner of learners) {
      const saved = resume?.learnerStates[learner.name];
      if (saved !== undefined) learner.restoreState(saved);
    }
    if (resume) progress.noteRestoredLearners();
    if (model && trainer) {
      if (resume) {
        state = trainer.restoreState(model, { step: resume.step, params: resume.params, slots: resume.slots });
        initial = resume.initialParams;
      } else {
        const params = model.init(replicaRngs(o.seed, R));
        try {
          state = trainer.init(model, params);
        } catch (e) {
          tf.dispose(Object.values(params));
          throw e;
        }
        initial = tf.tidy(() =>
          Object.fromEntries(Object.entries(state?.params ?? {}).map(([k, t]) => [k, t.clone()])),
        );
      }
    }
  } catch (e) {
    tf.dispose([test.x, test.y]);
    throw e;
  }
  const freeze = state ? new ReplicaFreeze(state, resume?.divergedAtStep) : null;
  const startStep = resume?.step ?? 0;
  let samplesSeen = resume?.samplesSeen ?? 0;
  const emit = async (e: Parameters<RunSink['event']>[0]) => run.sink?.event(e);

  // Each step's (R,) loss stays on the device until the next evaluation sums them: adding them
  // up step by step would put one more kernel launch (and, on WebGPU, more GPU work) in every step.
  let pendingLosses: tf.Tensor[] = [];
  // The tensors of the step or evaluation under way: freed as each ends, or in `finally` when a
  // step, a read or a sink throws midway.
  let inFlight: tf.Tensor[] = [];
  const settle = () => {
    tf.dispose(inFlight);
    inFlight = [];
  };
  let stepsSinceEval = 0;
  let lastEvalTime = now();
  let status: RunSummary['status'] = 'completed';
  let message: string | undefined;
  let step = startStep;
  // A resumed run starts from its checkpoint's evaluation: its summary has scores even with no steps left.
  const lastScores: NonNullable<Checkpoint['scores']> = resume?.scores
    ? { acc: [...resume.scores.acc], err: [...resume.scores.err], loss: [...resume.scores.loss] }
    : {
        acc: new Array<number | null>(R).fill(null),
        err: new Array<number>(R).fill(Number.NaN),
        loss: new Array<number>(R).fill(Number.NaN),
      };

  try {
    await emit({
      type: 'start',
      runId: run.runId,
      config: run.config,
      backend: tf.getBackend(),
      replicas: R,
      paramCount: model?.paramCount ?? 0,
      totalSteps: o.steps,
      startStep,
      versions: run.versions ?? {},
      ...(run.backendDetail === undefined ? {} : { backendDetail: run.backendDetail }),
      ...(trainer?.describeStep ? { trainStep: trainer.describeStep() } : {}),
    });
    lastEvalTime = now();
    // A resumed run whose checkpoint already ended it trains no further: a kill between that
    // checkpoint and the end line left it there. Every replica had learned (the loop's own break
    // below), or a stop came before it began (a sweep's time budget spent at that checkpoint). A
    // fresh run stopped before it began trains to its first evaluation: that is its first checkpoint.
    const endedAtCheckpoint =
      resume !== undefined && model !== undefined && o.stopWhenLearned && progress.allLearned(freeze?.divergedAtStep);
    if (resume !== undefined && !endedAtCheckpoint && run.signal?.aborted && step < o.steps) status = 'stopped';
    let lastYield = performance.now();
    while (!endedAtCheckpoint && status !== 'stopped' && step < o.steps) {
      if (run.signal && performance.now() - lastYield > YIELD_MS) {
        await macrotask();
        lastYield = performance.now();
      }
      const batch = sampler.next(step + 1);
      inFlight.push(batch.x, batch.y);
      step++;
      samplesSeen += o.batchSize;
      if (state && trainer) {
        const result = trainer.step(state, batch);
        state = freeze?.anyFrozen ? freeze.apply(result.state) : result.state;
        pendingLosses.push(result.loss);
        stepsSinceEval++;
      }
      const evalNow = step % o.evalEvery === 0 || step === o.steps;
      for (const e of progress.feedLearners(sampler.lastHost, step, evalNow)) await emit(e);
      if (!model || !trainer || !state || !evalNow) {
        settle();
        if (!model && o.stopWhenLearned && progress.learnersDone()) break;
        // At each evaluation, as a trained run below: a Stop must reach a run of stream learners alone.
        if (!model && evalNow && run.signal) await macrotask();
        if (!model && run.signal?.aborted && step < o.steps) {
          status = 'stopped';
          break;
        }
        continue;
      }
      // ---- evaluation ----
      const lossSum = sumLosses(pendingLosses, R);
      inFlight.push(lossSum);
      const losses = Array.from(await lossSum.data()).map((s) => s / Math.max(stepsSinceEval, 1));
      const msPerStep = (now() - lastEvalTime) / Math.max(stepsSinceEval, 1);
      tf.dispose(pendingLosses);
      pendingLosses = [];
      stepsSinceEval = 0;
      const params = state.params;
      const testScores = evaluateShared(model, params, test.x, test.y, task.outputKind, o.evalChunk);
      const trainScores = tf.tidy(() => scoreBatch(model.apply(params, batch.x), batch.y, task.outputKind));
      const distance = distanceFromInit(params, initial);
      inFlight.push(testScores.value, trainScores.value, distance);
      const [tested, trained, dist] = await Promise.all([
        hostScores(testScores),
        hostScores(trainScores),
        distance.data().then((d) => Array.from(d)),
      ]);
      const [testAcc, testErr, trainAcc] = [tested.accuracy, tested.error, trained.accuracy];
      const measures: Record<string, number[]> = { weightDistance: dist as number[] };
      const measured = Object.entries(task.measures?.(params) ?? {});
      inFlight.push(...measured.map(([, t]) => t));
      for (const [name, t] of measured) measures[name] = Array.from(await t.data());
      settle();
      const nullIfNaN = (v: number) => (Number.isNaN(v) ? null : v);
      const newly = freeze ? freeze.detect(state, losses, dist as number[], step) : { state, diverged: [] };
      state = newly.state;
      // A replica found diverged keeps the scores of its last finite evaluation.
      const keep = <T>(old: T[], now: T[]) => now.map((v, r) => (newly.diverged.includes(r) ? (old[r] as T) : v));
      lastScores.acc = keep(lastScores.acc, (testAcc as number[]).map(nullIfNaN));
      lastScores.err = keep(lastScores.err, testErr as number[]);
      lastScores.loss = keep(lastScores.loss, losses);
      // One reading for the eval line and its checkpoint: a budget checked on the line (a sweep's
      // maxSeconds) must find the same time in the checkpoint a resumed run starts from.
      const evalSeconds = elapsed();
      await emit({
        type: 'eval',
        step,
        samplesSeen,
        loss: losses,
        trainAccuracy: (trainAcc as number[]).map(nullIfNaN),
        testAccuracy: lastScores.acc,
        testError: lastScores.err,
        msPerStep,
        measures,
        elapsedSeconds: evalSeconds,
      });
      if (freeze?.allDiverged) {
        status = 'diverged';
        const bad = newly.diverged[0] ?? 0;
        message = `training diverged at step ${step}: ${R > 1 ? 'every replica diverged; ' : ''}replica ${bad} has loss ${losses[bad]}; lower the learning rate (trainer.lr)`;
        break;
      }
      freeze?.remember(state);
      for (const e of progress.markLearned(lastScores.acc, o, task.outputKind, step)) await emit(e);
      // Before the checkpoint, so a sink can tell the checkpoint a stopped run ends at.
      if (run.signal) {
        await macrotask();
        lastYield = performance.now();
      }
      const learnedAll = o.stopWhenLearned && progress.allLearned(freeze?.divergedAtStep);
      if (run.sink?.checkpoint) {
        const saved = trainer.saveState(state);
        await run.sink.checkpoint(
          {
            runId: run.runId,
            config: run.config,
            step,
            samplesSeen,
            dataRngs: dataRngs.map((r) => r.state()),
            learnedAtStep: progress.learnedAtStep,
            divergedAtStep: freeze?.divergedAtStep ?? progress.learnedAtStep.map(() => null),
            learnersLearned: progress.learnersLearned(),
            learnerStates: Object.fromEntries(learners.map((l) => [l.name, l.saveState()])),
            params: saved.params,
            slots: saved.slots,
            initialParams: initial,
            scores: { acc: [...lastScores.acc], err: [...lastScores.err], loss: [...lastScores.loss] },
            elapsedSeconds: evalSeconds,
          },
          { final: learnedAll || step >= o.steps },
        );
      }
      lastEvalTime = now();
      if (learnedAll) break;
      // At the last step the run has completed, whenever the stop came.
      if (run.signal?.aborted && step < o.steps) {
        status = 'stopped';
        break;
      }
    }
  } finally {
    // On every way out, a sink's error included: the run owns these.
    tf.dispose([pendingLosses, inFlight, test.x, test.y, Object.values(initial)]);
    freeze?.dispose();
    if (state && trainer) trainer.dispose(state);
  }
  if (status !== 'diverged' && freeze?.divergedAtStep.some((s) => s !== null))
    message = describeReplicaOutcome(progress.learnedAtStep, freeze.divergedAtStep);

  const summary = progress.summary({
    run,
    network: model !== undefined,
    options: o,
    status,
    message,
    step,
    samplesSeen,
    lastScores,
    divergedAtStep: freeze?.divergedAtStep ?? progress.learnedAtStep.map(() => null),
    wallSeconds: elapsed(),
    backend: tf.getBackend(),
  });
  await emit({ type: 'end', summary });
  return summary;
}

function checkModelFitsTask(model: Model, task: Task, o: RunOptions): void {
  assert(
    model.layouts.includes(task.layout),
    () =>
      `model "${model.name}" accepts ${model.layouts.join(', ')} inputs, but task "${task.name}" has layout "${task.layout}"; pick a model for ${task.layout} tasks`,
  );
  assert(
    model.inputShape.length === task.inputShape.length && model.inputShape.every((d, i) => d === task.inputShape[i]),
    () =>
      `model input shape [${model.inputShape.join(', ')}] does not match task input shape [${task.inputShape.join(', ')}]`,
  );
  assert(
    model.outputSize === task.outputSize,
    () => `model output size ${model.outputSize} does not match task output size ${task.outputSize}`,
  );
  assert(
    model.replicas === o.replicas,
    () =>
      `model has ${model.replicas} replicas but run.replicas is ${o.replicas}; create the model with replicas: ${o.replicas}, or set run.replicas to ${model.replicas}`,
  );
}

/** The sum of the (R,) losses since the last evaluation (zeros when there are none), as one new tensor. */
export function sumLosses(losses: readonly tf.Tensor[], R: number): tf.Tensor {
  if (losses.length === 0) return tf.zeros([R]);
  return tf.tidy(() => {
    // addN in chunks: WebGPU binds at most a few storage buffers per kernel, and tfjs's AddN binds all its inputs.
    let parts: tf.Tensor[] = [...losses];
    while (parts.length > 1) {
      const next: tf.Tensor[] = [];
      for (let i = 0; i < parts.length; i += 4)
        next.push(parts.length - i === 1 ? (parts[i] as tf.Tensor) : tf.addN(parts.slice(i, i + 4)));
      parts = next;
    }
    return (parts[0] as tf.Tensor).clone();
  });
}

/** Before anything is made: `resume` must be run `runId`'s checkpoint, with `floats` parameters (null: no model). */
function checkOwnCheckpoint(resume: Checkpoint, runId: string, floats: number | null): void {
  // Its bytes (encodeCheckpoint's, or a file's) gave a TypeError naming no argument.
  assert(
    !(resume instanceof Uint8Array) && typeof resume.params === 'object' && Array.isArray(resume.dataRngs),
    () =>
      `resume: expected a checkpoint, decodeCheckpoint(bytes) of a saved one, but got ${resume instanceof Uint8Array ? 'its bytes' : showValue(resume)}`,
  );
  assert(
    resume.runId === undefined || resume.runId === runId,
    () => `resume: the checkpoint is run ${resume.runId}'s, not ${runId}'s; resume with the run's own checkpoint`,
  );
  const held = Object.values(resume.params).reduce((sum, t) => sum + t.size, 0);
  assert(
    floats === null || held === floats,
    () =>
      `resume: the checkpoint holds ${held.toLocaleString('en-US')} parameters, but this run's model has ${floats?.toLocaleString('en-US')}; resume with the run's own checkpoint`,
  );
}
