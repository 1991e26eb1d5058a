/**
 * Align vs backprop, side by side (Boopathy & Fiete 2022; docs/papers.md §4, docs/reproductions/align.md):
 * one backprop run and one run of a backprop-free rule from the same θ₀ on the same batches, both
 * through the project's one training loop (`runExperiment`) with the presets' parts, in lockstep
 * at every evaluation. At each evaluation it measures how the rule's update lines up with the
 * backprop gradient at the rule's current weights, and the paper's alignment cos(ΔWᵀΔW) between
 * the two runs' weight changes. No DOM here; the worker and the tests call it.
 *
 * Tasks that run in a browser (MNIST's data package is Node-only): the recurrent add task of the
 * paper (`align-add`: ReLU RNN, T = 100), or a small synthetic one, majority of n = 15 bits on a
 * ReLU MLP (dense, NTK parameterisation, zero biases, as `align-mnist`).
 */
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError, createRng, defineSchema } from '@learnability/core';
import type { ConfigIssue, EvalEvent, OptionsOf, Params, RunSummary } from '@learnability/core';
import { ALIGN_SCHEMA, creditNetworkFor, meanAlignment, ruleTensorsOf, ruleUpdate } from '@learnability/align';
import type { AdaGate, AlignRule, RuleTensors } from '@learnability/align';
import { RUN_SCHEMA, runInLockstep } from '@learnability/experiment';
import type { Checkpoint, RunSink } from '@learnability/experiment';
import { getPreset, mergeConfig, resolve, validateConfig } from '@learnability/presets';
import type { ResolvedConfig } from '@learnability/presets';
import { readForm } from './form-schema.js';

type Json = Parameters<typeof mergeConfig>[0];

/** The rules that can stand beside backprop (the `@learnability/align` trainers). */
export const ALIGN_CANDIDATES = ['align-ada', 'align-zero', 'fa', 'dfa'] as const;

export interface AlignTaskChoice {
  label: string;
  /** The preset the run starts from. */
  preset: string;
  /** Overrides of that preset (besides width, lr, steps, seed). */
  base: Json;
  /** The width override for width w. */
  width(w: number): Json;
  /** The form's starting values on this task. */
  defaults: { width: number; lr: number; steps: number; evalEvery: number };
  /** Why they are what they are. */
  why: string;
  /** The test metric: MSE (real outputs) or accuracy (sign outputs). */
  metric: 'mse' | 'accuracy';
}

export const ALIGN_TASKS = {
  'recurrent-add': {
    label: "recurrent add task (T = 100, 300 training sequences), ReLU RNN — the paper's recurrent task",
    preset: 'align-add',
    base: {},
    width: (w: number) => ({ model: { width: w } }),
    defaults: { width: 32, lr: 0.5, steps: 60, evalEvery: 5 },
    why: 'docs/reproductions/align.md: lr 0.5, widths 16–64, 60 steps (10 epochs of 300 sequences)',
    metric: 'mse',
  },
  majority: {
    label: 'majority of n = 15 bits, ReLU MLP 15 → w → w → 1 (NTK, zero biases) — a small synthetic task',
    preset: 'align-mnist',
    base: {
      task: { name: 'boolean-target', family: 'majority', n: 15, k: 0 },
      run: { batchSize: 32, testSize: 1_000, trainSetSize: null },
    },
    width: (w: number) => ({ model: { widths: [w, w] } }),
    defaults: { width: 128, lr: 0.3, steps: 300, evalEvery: 20 },
    why: "lr 1 (align-mnist's scale) diverges on ±1 inputs here; 0.3 trains both rules to ≈ 93 % in 300 steps",
    metric: 'accuracy',
  },
} as const satisfies Record<string, AlignTaskChoice>;
export type AlignTaskId = keyof typeof ALIGN_TASKS;

export const ALIGN_TASK_IDS = Object.keys(ALIGN_TASKS) as AlignTaskId[];

/** The reason for the ranges: both runs train in the page's one worker. */
const TAB = 'two networks train side by side in one tab';
/** Each evaluation measures the gradient cosine and the weight alignment and redraws the plots. */
const MAX_EVALS = 500;

/**
 * The explorer's form, starting from `task`'s values (its width, lr, steps, evalEvery). The rule's
 * options are the Align trainers' own fields and the run's are the run's, with a tab's ranges; the
 * ranges and the rule across fields are the same for every task.
 */
export function alignFormSchema(task: AlignTaskId = 'recurrent-add') {
  const { defaults: d, why } = ALIGN_TASKS[task];
  return defineSchema(
    {
      task: { type: 'enum', values: ALIGN_TASK_IDS, default: task, doc: 'the task both runs train on' },
      rule: {
        type: 'enum',
        values: ALIGN_CANDIDATES,
        default: 'align-ada',
        doc: 'the backprop-free rule trained beside backprop',
      },
      gate: ALIGN_SCHEMA.fields.gate,
      width: {
        type: 'int',
        default: d.width,
        min: 1,
        max: 1024,
        doc: 'hidden width (RNN units, or both MLP layers)',
        why: `${why}; up to 1,024: ${TAB}`,
      },
      lr: { ...ALIGN_SCHEMA.fields.lr, default: d.lr, max: 100, why: `${why}; up to 100: a mistyped rate stops here` },
      steps: { ...RUN_SCHEMA.fields.steps, default: d.steps, min: 1, max: 5_000, why: `${why}; up to 5,000: ${TAB}` },
      evalEvery: { ...RUN_SCHEMA.fields.evalEvery, default: d.evalEvery, max: 5_000, why },
      seed: RUN_SCHEMA.fields.seed,
    },
    [
      {
        paths: ['evalEvery', 'steps'],
        test: (o) => o.steps / o.evalEvery <= MAX_EVALS,
        message: (o) => `at most ${MAX_EVALS} evaluations: use evalEvery ≥ ${Math.ceil(o.steps / MAX_EVALS)}`,
      },
    ],
  );
}

type AlignFormFields = ReturnType<typeof alignFormSchema>['fields'];

/** Both runs' settings: the form's values. */
export type AlignRequest = OptionsOf<AlignFormFields>;

/** The form's input texts, by field. */
export type AlignForm = Record<keyof AlignFormFields, string>;

/** Both runs' configs: backprop and the candidate rule, identical but for the trainer. */
export function alignConfigs(r: AlignRequest): { backprop: ResolvedConfig; candidate: ResolvedConfig } {
  const choice: AlignTaskChoice = ALIGN_TASKS[r.task];
  let raw = structuredClone(getPreset(choice.preset).config) as Json;
  raw = mergeConfig(raw, choice.base);
  raw = mergeConfig(raw, choice.width(r.width));
  raw = mergeConfig(raw, {
    run: { steps: r.steps, evalEvery: r.evalEvery, seed: r.seed, replicas: 1, stopWhenLearned: false },
  });
  // Each trainer is set whole: merging would keep the preset trainer's other keys.
  const withTrainer = (trainer: Record<string, unknown>) => validateConfig({ ...raw, trainer });
  return {
    backprop: withTrainer({ name: 'backprop', lr: r.lr }),
    candidate: withTrainer({ name: r.rule, lr: r.lr, ...(r.rule === 'align-ada' ? { gate: r.gate } : {}) }),
  };
}

/** The form read through its schema, every problem at once at its field; then both configs through `validateConfig`. */
export function validateAlignForm(form: AlignForm): { request: AlignRequest | null; issues: ConfigIssue[] } {
  // Any task's schema reads the form: only the defaults differ between tasks.
  const { values, issues } = readForm(alignFormSchema(), form);
  if (!values) return { request: null, issues };
  try {
    alignConfigs(values);
  } catch (e) {
    if (e instanceof ConfigError) return { request: null, issues: e.issues };
    throw e;
  }
  return { request: values, issues };
}

/** One evaluation of both runs, in lockstep. */
export interface AlignUpdate {
  step: number;
  /** Mean training loss since the last evaluation (MSE), per run; null once a run has ended. */
  loss: { backprop: number | null; candidate: number | null };
  /** Test accuracy (sign tasks) or null. */
  testAccuracy: { backprop: number | null; candidate: number | null };
  /** Test error: MSE (add task) or 0–1 error. */
  testError: { backprop: number | null; candidate: number | null };
  /** cos(update of the rule, backprop gradient) at the rule's current weights, over every parameter, on a fixed probe batch. */
  gradientCosine: number | null;
  /** cos(ΔWᵀΔW) between the two runs (ΔW = W − W₀), mean over the weight matrices (alignmentScores). */
  weightAlignment: number | null;
}

export interface AlignOutcome {
  updates: AlignUpdate[];
  backprop: RunSummary;
  candidate: RunSummary;
}

/**
 * cos(u_rule, u_backprop) over all parameters at `params`: the rule's update and the exact
 * gradient on batch (x, y), both from the align package's `ruleUpdate` (replica 0).
 */
export async function gradientCosine(
  model: Parameters<typeof creditNetworkFor>[0],
  rule: AlignRule,
  gate: AdaGate,
  params: Params,
  tensors: RuleTensors,
  x: tf.Tensor,
  y: tf.Tensor,
): Promise<number> {
  const net = creditNetworkFor(model);
  const cos = tf.tidy(() => {
    const exact = ruleUpdate(net, 'backprop', gate, params, {}, x, y).update;
    const other = ruleUpdate(net, rule, gate, params, tensors, x, y).update;
    const first = (t: tf.Tensor) => tf.reshape(tf.slice(t, 0, 1), [-1]);
    let dot: tf.Tensor = tf.scalar(0);
    let aa: tf.Tensor = tf.scalar(0);
    let bb: tf.Tensor = tf.scalar(0);
    for (const k of Object.keys(exact)) {
      const a = first(exact[k] as tf.Tensor);
      const b = first(other[k] as tf.Tensor);
      dot = tf.add(dot, tf.sum(tf.mul(a, b)));
      aa = tf.add(aa, tf.sum(tf.square(a)));
      bb = tf.add(bb, tf.sum(tf.square(b)));
    }
    return tf.div(dot, tf.sqrt(tf.mul(aa, bb)));
  });
  const value = (await cos.data())[0] as number;
  cos.dispose();
  return value;
}

/** The rule's fixed tensors from a checkpoint: θ₀ (the run's initial parameters), FA's matrices, DFA's projections. */
export function ruleTensors(c: Checkpoint): RuleTensors {
  const { feedback, projections } = ruleTensorsOf(c.slots);
  return { initial: c.initialParams, feedback, projections };
}

/** The mean alignment over the weight matrices (replica 0), or null where no score is finite. */
const finiteOrNull = ({ mean }: { mean: number }) => (Number.isFinite(mean) ? mean : null);

/**
 * Trains backprop and the candidate rule together (`runInLockstep`), calling `onUpdate` at each
 * evaluation once both runs have reached it (a run that stopped — diverged — is reported as ended
 * and no longer waited for). Aborting `signal` stops both at their next evaluation.
 */
export async function runSideBySide(
  r: AlignRequest,
  onUpdate: (u: AlignUpdate) => void | Promise<void>,
  signal?: AbortSignal,
): Promise<AlignOutcome> {
  const configs = alignConfigs(r);
  const runs = [resolve(configs.backprop), resolve(configs.candidate)] as const;
  const candidateModel = runs[1].model;
  if (!candidateModel) throw new Error('align: the candidate run has no model');
  // A fixed probe batch for the gradient cosine, from its own stream.
  const drawn = runs[1].task.sample(runs[1].options.batchSize, createRng(r.seed).fork('align-explorer-probe'));
  // (B, …) -> (R = 1, B, …): models take a leading replica axis.
  const probe = { x: tf.expandDims(drawn.x, 0), y: tf.expandDims(drawn.y, 0) };
  tf.dispose([drawn.x, drawn.y]);
  const updates: AlignUpdate[] = [];
  const lastEval: (EvalEvent | null)[] = [null, null];
  const keepEvals = (i: 0 | 1): RunSink => ({
    event: (e) => {
      if (e.type === 'eval') lastEval[i] = e;
    },
  });
  const atEval = async (step: number, [bp, cand]: readonly (Checkpoint | null)[]): Promise<void> => {
    const pick = (i: number, f: (e: EvalEvent) => number | null) => {
      const e = lastEval[i];
      return e && e.step === step ? f(e) : null;
    };
    const both = (f: (e: EvalEvent) => number | null) => ({ backprop: pick(0, f), candidate: pick(1, f) });
    const u: AlignUpdate = {
      step,
      loss: both((e) => e.loss[0] ?? null),
      testAccuracy: both((e) => e.testAccuracy[0] ?? null),
      testError: both((e) => e.testError[0] ?? null),
      gradientCosine: cand
        ? await gradientCosine(candidateModel, r.rule, r.gate, cand.params, ruleTensors(cand), probe.x, probe.y)
        : null,
      weightAlignment:
        bp && cand && step > 0 ? finiteOrNull(await meanAlignment(cand.initialParams, bp.params, cand.params)) : null,
    };
    updates.push(u);
    await onUpdate(u);
    // A macrotask turn, so the worker sees messages (wasm reads resolve as microtasks).
    await new Promise((resolveTurn) => setTimeout(resolveTurn, 0));
  };
  const lockstep = ([0, 1] as const).map((i) => {
    const config = i === 0 ? configs.backprop : configs.candidate;
    const run = runs[i];
    return {
      parts: run,
      run: {
        runId: `align-explorer-${config.trainer?.name ?? 'run'}`,
        config,
        options: run.options,
        sink: keepEvals(i),
        ...(signal ? { signal } : {}),
      },
    };
  });

  try {
    const [backprop, candidate] = (await runInLockstep(lockstep, atEval)) as [RunSummary, RunSummary];
    return { updates, backprop, candidate };
  } finally {
    tf.dispose([probe.x, probe.y]);
  }
}
