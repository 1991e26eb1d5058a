/**
 * Align vs backprop, side by side (Boopathy & Fiete 2022; PAPERS.md §4, docs/reproductions/align.md):
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
import { ConfigError, createRng } from '@learnability/core';
import type { ConfigIssue, EvalEvent, Params, RunSummary } from '@learnability/core';
import { alignmentScores, creditNetworkFor, ruleTensorsOf, ruleUpdate } from '@learnability/align';
import type { AdaGate, AlignRule, RuleTensors } from '@learnability/align';
import { runExperiment } from '@learnability/experiment';
import type { Checkpoint, RunSink } from '@learnability/experiment';
import { getPreset, mergeConfig, resolve, validateConfig } from '@learnability/presets';
import type { ResolvedConfig } from '@learnability/presets';

type Json = Parameters<typeof mergeConfig>[0];

/** The rules that can stand beside backprop (the `@learnability/align` trainers). */
export const ALIGN_CANDIDATES = ['align-ada', 'align-zero', 'fa', 'dfa'] as const;
export type AlignCandidate = (typeof ALIGN_CANDIDATES)[number];

export interface AlignTaskChoice {
  label: string;
  /** The preset the run starts from. */
  preset: string;
  /** Overrides of that preset (besides width, lr, steps, seed). */
  base: Json;
  /** The width override for width w. */
  width(w: number): Json;
  defaults: { width: number; lr: number; steps: number; evalEvery: number };
  /** The test metric: MSE (real outputs) or accuracy (sign outputs). */
  metric: 'mse' | 'accuracy';
}

export const ALIGN_TASKS = {
  'recurrent-add': {
    label: "recurrent add task (T = 100, 300 training sequences), ReLU RNN — the paper's recurrent task",
    preset: 'align-add',
    base: {},
    width: (w: number) => ({ model: { width: w } }),
    // docs/reproductions/align.md: lr 0.5, widths 16–64, 60 steps (10 epochs of 300 sequences).
    defaults: { width: 32, lr: 0.5, steps: 60, evalEvery: 5 },
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
    // lr 1 (align-mnist's scale) diverges on ±1 inputs here; 0.3 trains both rules to ≈ 93 % in 300 steps.
    defaults: { width: 128, lr: 0.3, steps: 300, evalEvery: 20 },
    metric: 'accuracy',
  },
} as const satisfies Record<string, AlignTaskChoice>;
export type AlignTaskId = keyof typeof ALIGN_TASKS;

export interface AlignRequest {
  task: AlignTaskId;
  rule: AlignCandidate;
  /** Align-ada's σ′ gate (the trainer's option). */
  gate: AdaGate;
  width: number;
  lr: number;
  steps: number;
  evalEvery: number;
  seed: number;
}

export interface AlignForm {
  task: string;
  rule: string;
  gate: string;
  width: string;
  lr: string;
  steps: string;
  evalEvery: string;
  seed: string;
}

export const ALIGN_LIMITS = { widthMax: 1024, stepsMax: 5_000, evalsMax: 500 } as const;

export function alignFormDefaults(task: AlignTaskId = 'recurrent-add'): AlignForm {
  const d = ALIGN_TASKS[task].defaults;
  return {
    task,
    rule: 'align-ada',
    gate: 'current',
    width: String(d.width),
    lr: String(d.lr),
    steps: String(d.steps),
    evalEvery: String(d.evalEvery),
    seed: '0',
  };
}

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

function number(text: string, path: string, issues: ConfigIssue[], check: (v: number) => string | null): number {
  const t = text.trim();
  const v = t === '' ? Number.NaN : Number(t);
  const problem = Number.isFinite(v) ? check(v) : `expected a number, but got "${t}"`;
  if (problem) issues.push({ path, message: problem });
  return v;
}

const intIn = (min: number, max: number) => (v: number) =>
  Number.isInteger(v) && v >= min && v <= max ? null : `expected an integer in [${min}, ${max}], but got ${v}`;

/** Validates the form, every problem at once at its field; then the configs through the schema. */
export function validateAlignForm(form: AlignForm): { request: AlignRequest | null; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  if (!(form.task in ALIGN_TASKS))
    issues.push({
      path: 'task',
      message: `expected one of ${Object.keys(ALIGN_TASKS).join(', ')}, but got "${form.task}"`,
    });
  if (!(ALIGN_CANDIDATES as readonly string[]).includes(form.rule))
    issues.push({ path: 'rule', message: `expected one of ${ALIGN_CANDIDATES.join(', ')}, but got "${form.rule}"` });
  if (form.gate !== 'current' && form.gate !== 'frozen')
    issues.push({ path: 'gate', message: `expected current or frozen, but got "${form.gate}"` });
  const width = number(form.width, 'width', issues, intIn(1, ALIGN_LIMITS.widthMax));
  const lr = number(form.lr, 'lr', issues, (v) =>
    v > 0 && v <= 100 ? null : `expected a number in (0, 100], but got ${v}`,
  );
  const steps = number(form.steps, 'steps', issues, intIn(1, ALIGN_LIMITS.stepsMax));
  const evalEvery = number(form.evalEvery, 'evalEvery', issues, intIn(1, ALIGN_LIMITS.stepsMax));
  const seed = number(form.seed, 'seed', issues, intIn(0, 2 ** 31 - 1));
  if (!issues.some((i) => i.path === 'steps' || i.path === 'evalEvery') && steps / evalEvery > ALIGN_LIMITS.evalsMax) {
    issues.push({
      path: 'evalEvery',
      message: `at most ${ALIGN_LIMITS.evalsMax} evaluations: use evalEvery ≥ ${Math.ceil(steps / ALIGN_LIMITS.evalsMax)}`,
    });
  }
  if (issues.length) return { request: null, issues };
  const request: AlignRequest = {
    task: form.task as AlignTaskId,
    rule: form.rule as AlignCandidate,
    gate: form.gate as AdaGate,
    width,
    lr,
    steps,
    evalEvery,
    seed,
  };
  try {
    alignConfigs(request);
  } catch (e) {
    if (e instanceof ConfigError) return { request: null, issues: e.issues };
    throw e;
  }
  return { request, issues };
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
  msPerStep: { backprop: number | null; candidate: number | null };
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

/** Mean over the weight matrices of cos(ΔWᵀΔW) between two runs from the same θ₀ (replica 0). */
export async function weightAlignment(initial: Params, a: Params, b: Params): Promise<number | null> {
  const scores = alignmentScores(initial, a, b);
  const values: number[] = [];
  for (const t of Object.values(scores)) values.push((await t.data())[0] as number);
  tf.dispose(Object.values(scores));
  const finite = values.filter(Number.isFinite);
  return finite.length ? finite.reduce((s, v) => s + v, 0) / finite.length : null;
}

/**
 * Trains backprop and the candidate rule together, calling `onUpdate` at each evaluation once both
 * runs have reached it (a run that stopped — diverged — is reported as ended and no longer waited
 * for). Aborting `signal` stops both at their next evaluation.
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
  const ended = [false, false];
  let pending: { step: number; checkpoints: (Checkpoint | null)[]; release: (() => void)[] } | null = null;

  const sync = async (): Promise<void> => {
    const p = pending;
    if (!p?.checkpoints.every((c, i) => c !== null || ended[i])) return;
    pending = null;
    const [bp, cand] = p.checkpoints;
    const pick = (i: number, f: (e: EvalEvent) => number | null) => {
      const e = lastEval[i];
      return e && e.step === p.step ? f(e) : null;
    };
    const both = (f: (e: EvalEvent) => number | null) => ({ backprop: pick(0, f), candidate: pick(1, f) });
    const u: AlignUpdate = {
      step: p.step,
      loss: both((e) => e.loss[0] ?? null),
      testAccuracy: both((e) => e.testAccuracy[0] ?? null),
      testError: both((e) => e.testError[0] ?? null),
      gradientCosine: cand
        ? await gradientCosine(candidateModel, r.rule, r.gate, cand.params, ruleTensors(cand), probe.x, probe.y)
        : null,
      weightAlignment:
        bp && cand && p.step > 0 ? await weightAlignment(cand.initialParams, bp.params, cand.params) : null,
      msPerStep: both((e) => e.msPerStep),
    };
    updates.push(u);
    await onUpdate(u);
    // A macrotask turn, so the worker sees messages (wasm reads resolve as microtasks).
    await new Promise((resolveTurn) => setTimeout(resolveTurn, 0));
    for (const release of p.release) release();
  };

  const sink = (i: 0 | 1): RunSink => ({
    event: (e) => {
      if (e.type === 'eval') lastEval[i] = e;
    },
    checkpoint: async (c: Checkpoint) => {
      pending ??= { step: c.step, checkpoints: [null, null], release: [] };
      if (pending.step !== c.step) throw new Error(`align explorer: runs out of step (${pending.step} vs ${c.step})`);
      pending.checkpoints[i] = c;
      const released = new Promise<void>((res) => pending?.release.push(res));
      await sync();
      await released;
    },
  });

  const train = async (i: 0 | 1): Promise<RunSummary> => {
    const run = runs[i];
    const config = i === 0 ? configs.backprop : configs.candidate;
    try {
      return await runExperiment(run, {
        runId: `align-explorer-${config.trainer?.name ?? 'run'}`,
        config,
        options: run.options,
        sink: sink(i),
        ...(signal ? { signal } : {}),
      });
    } finally {
      ended[i] = true;
      await sync();
    }
  };

  try {
    const [backprop, candidate] = await Promise.all([train(0), train(1)]);
    return { updates, backprop, candidate };
  } finally {
    tf.dispose([probe.x, probe.y]);
  }
}
