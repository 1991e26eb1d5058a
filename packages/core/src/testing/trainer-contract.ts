import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { replicaRngs } from '../rng.js';
import type { Batch, Model, Params, SavedTrainerState, Trainer, TrainerState } from '../contracts.js';
import { expectClose, values } from './tensor-close.js';

export interface TrainerContractCase {
  trainer: Trainer;
  /** A model with the replica count the suite asks `make` for. */
  model: Model;
  /** A batch for the mechanical checks (any data will do): x (R, B, ...), y (R, B, out). */
  batch(seed: number): Batch;
  /**
   * The batch of a learnable toy task at 1-based step `step`, the same for the same step: fresh
   * samples of a fixed target (e.g. `signTeacherBatch`). The learning check trains on it and
   * judges what was learned on batches it never trained on (`toy(HELD_OUT_STEP + i)`): new draws,
   * though over a small input domain (±1 vectors of 5 or 6 bits) most of their inputs were trained
   * on, so this checks that the target was fitted, not that it generalises.
   */
  toy(step: number): Batch;
}

/**
 * The contract's options: the outcome the learning check asserts besides the falling loss, on toy
 * batches it never trained on (`toy(HELD_OUT_STEP + i)`, 8 of them), exactly one of
 * `learnedAccuracy` (sign targets) and `learnedMse` (real-valued targets).
 */
export type TrainerContractOptions = {
  /** Replica counts to check, each with its own model from `make`. Default [1, 3]. */
  replicas?: readonly number[];
  /** N: steps of the learning check (≥ 20). Default 60. */
  learnSteps?: number;
} & (
  | {
      /** After its N steps every replica's sign accuracy must reach this. */
      learnedAccuracy: number;
      learnedMse?: undefined;
    }
  | {
      /**
       * After its N steps every replica's mean squared error over the held-out batches (the mean
       * over their examples and outputs of (f(x) − y)²) must be at most this. Set it well below
       * Var(y), what predicting the mean would score.
       */
      learnedMse: number;
      learnedAccuracy?: undefined;
    }
);

/** The toy steps the held-out batches are drawn at: far past any step a check trains on. */
const HELD_OUT_STEP = 1_000_000;
const HELD_OUT_BATCHES = 8;

/**
 * Per replica, the mean over the held-out toy batches of `score(prediction, y)`, a (R, B, ...)
 * tensor of per-output scores: the sign accuracy or the squared error.
 */
async function heldOut(
  c: TrainerContractCase,
  params: Params,
  score: (prediction: tf.Tensor, y: tf.Tensor) => tf.Tensor,
): Promise<number[]> {
  const { toy } = c;
  const R = c.model.replicas;
  const sums = new Array<number>(R).fill(0);
  let count = 0;
  for (let i = 0; i < HELD_OUT_BATCHES; i++) {
    const b = toy(HELD_OUT_STEP + i);
    const perReplica = tf.tidy(() =>
      tf.sum(tf.reshape(score(c.model.apply(params, b.x) as tf.Tensor, b.y), [R, -1]), 1),
    );
    Array.from(await values(perReplica)).forEach((h, r) => (sums[r] = (sums[r] as number) + h));
    count += (b.y.size as number) / R;
    tf.dispose([perReplica, b.x, b.y]);
  }
  return sums.map((h) => h / count);
}

const signAgreement = (prediction: tf.Tensor, y: tf.Tensor) => tf.cast(tf.greater(tf.mul(prediction, y), 0), 'float32');

/** Steps on `toy` batches first..last (1-based), collecting each step's (R,) loss. */
async function run(
  c: TrainerContractCase,
  state: TrainerState,
  first: number,
  last: number,
): Promise<{ state: TrainerState; losses: number[][] }> {
  const { toy } = c;
  let s = state;
  const losses: number[][] = [];
  for (let step = first; step <= last; step++) {
    const b = toy(step);
    const r = c.trainer.step(s, b);
    s = r.state;
    losses.push(Array.from(await values(r.loss)));
    tf.dispose([r.loss, b.x, b.y]);
  }
  return { state: s, losses };
}

function steps(trainer: Trainer, state: TrainerState, batch: Batch, count: number): TrainerState {
  let s = state;
  for (let i = 0; i < count; i++) {
    const r = trainer.step(s, batch);
    r.loss.dispose();
    s = r.state;
  }
  return s;
}

type HostTensors = Record<string, { shape: number[]; data: Float32Array }>;

/** A saved state read back to plain arrays, as a checkpoint file holds it. */
async function toHost(saved: SavedTrainerState): Promise<{ step: number; params: HostTensors; slots: HostTensors }> {
  const read = async (ts: Record<string, tf.Tensor>): Promise<HostTensors> => {
    const out: HostTensors = {};
    for (const [k, t] of Object.entries(ts)) out[k] = { shape: t.shape, data: Float32Array.from(await values(t)) };
    return out;
  };
  return { step: saved.step, params: await read(saved.params), slots: await read(saved.slots) };
}

const fromHost = (h: HostTensors): Params =>
  Object.fromEntries(Object.entries(h).map(([k, v]) => [k, tf.tensor(v.data, v.shape)]));

/**
 * The contract every `Trainer` must meet, for each replica count in `options.replicas` (default 1
 * and 3): a step's shapes, finiteness and tensor hygiene; determinism; replica independence (from
 * 2 replicas); the loss falls on a learnable toy task, and the toy is learned on batches it never
 * trained on (`learnedAccuracy` or `learnedMse`); and a save/restore round trip mid-run
 * continues exactly like the uninterrupted run, with no tensor left once both runs are disposed.
 * Runs on the current TF.js backend.
 */
export function describeTrainerContract(
  title: string,
  make: (replicas: number) => TrainerContractCase,
  options: TrainerContractOptions,
): void {
  const N = options.learnSteps ?? 60;
  // The type asks for exactly one; plain JS may give neither or both.
  if ((options.learnedAccuracy === undefined) === (options.learnedMse === undefined))
    throw new Error(
      'describeTrainerContract: give one of learnedAccuracy (sign targets) and learnedMse (real-valued targets): the learning check asserts the outcome reached, not only a falling loss',
    );
  if (N < 20) throw new Error(`describeTrainerContract: learnSteps must be ≥ 20 (two windows of 10), but got ${N}`);
  for (const R of options.replicas ?? [1, 3]) {
    describe(`Trainer contract: ${title}, ${R} replica${R === 1 ? '' : 's'}`, () => {
      it('a step returns a finite (R,) loss, keeps parameter shapes, and leaks no tensor', async () => {
        const { trainer, model, batch } = make(R);
        const b = batch(1);
        // One warm-up step: kernels may cache constants on first use.
        let state = steps(trainer, trainer.init(model, model.init(replicaRngs(11, R))), b, 1);
        const shapes = Object.fromEntries(Object.entries(state.params).map(([k, t]) => [k, t.shape]));
        const before = tf.memory().numTensors;
        const result = trainer.step(state, b);
        state = result.state;
        expect(result.loss.shape).toEqual([R]);
        expect(Array.from(await values(result.loss)).every(Number.isFinite)).toBe(true);
        result.loss.dispose();
        expect(tf.memory().numTensors, 'tensors after a step').toBe(before);
        expect(state.step).toBe(2);
        for (const [k, t] of Object.entries(state.params)) expect(t.shape, k).toEqual(shapes[k]);
        trainer.dispose(state);
        tf.dispose([b.x, b.y]);
      });

      it('steps are deterministic', async () => {
        const { trainer, model, batch } = make(R);
        const b = batch(2);
        const s1 = steps(trainer, trainer.init(model, model.init(replicaRngs(5, R))), b, 3);
        const s2 = steps(trainer, trainer.init(model, model.init(replicaRngs(5, R))), b, 3);
        for (const k of Object.keys(s1.params))
          await expectClose(s1.params[k] as tf.Tensor, s2.params[k] as tf.Tensor, {
            atol: 1e-6,
            rtol: 1e-5,
            what: `params.${k} across reruns`,
          });
        trainer.dispose(s1);
        trainer.dispose(s2);
        tf.dispose([b.x, b.y]);
      });

      if (R >= 2) {
        it("replicas train independently: another replica's batch does not change replica 0", async () => {
          const { trainer, model, batch } = make(R);
          const b1 = batch(3);
          const b2 = batch(4);
          // Same replica-0 data, different data for the other replicas.
          const mixed: Batch = tf.tidy(() => ({
            x: tf.concat([tf.slice(b1.x, [0], [1]), tf.slice(b2.x, [1], [R - 1])], 0),
            y: tf.concat([tf.slice(b1.y, [0], [1]), tf.slice(b2.y, [1], [R - 1])], 0),
          }));
          const sa = steps(trainer, trainer.init(model, model.init(replicaRngs(9, R))), b1, 2);
          const sb = steps(trainer, trainer.init(model, model.init(replicaRngs(9, R))), mixed, 2);
          for (const k of Object.keys(sa.params)) {
            const [a0, b0] = [
              tf.slice(sa.params[k] as tf.Tensor, [0], [1]),
              tf.slice(sb.params[k] as tf.Tensor, [0], [1]),
            ];
            await expectClose(b0, a0, { atol: 1e-6, rtol: 1e-5, what: `replica 0 params.${k}` });
            tf.dispose([a0, b0]);
          }
          // The control: the other replicas, trained on other data, did end elsewhere.
          const moved = tf.tidy(() =>
            tf.max(
              tf.stack(
                Object.keys(sa.params).map((k) =>
                  tf.max(tf.abs(tf.sub(sa.params[k] as tf.Tensor, sb.params[k] as tf.Tensor))),
                ),
              ),
            ),
          );
          expect(((await moved.data()) as Float32Array)[0], 'replicas 1.. after other batches').toBeGreaterThan(0);
          moved.dispose();
          trainer.dispose(sa);
          trainer.dispose(sb);
          tf.dispose([b1.x, b1.y, b2.x, b2.y, mixed.x, mixed.y]);
        });
      }

      const { learnedAccuracy, learnedMse } = options;
      const reached = [
        ...(learnedAccuracy === undefined
          ? []
          : [`every replica's sign accuracy on held-out toy batches reaches ${learnedAccuracy}`]),
        ...(learnedMse === undefined ? [] : [`every replica's held-out mean squared error is ≤ ${learnedMse}`]),
      ].join(', and ');
      it(`the loss falls on a learnable toy task: on every replica the mean of the last 10 of ${N} step losses is < 0.8 × the first 10, and ${reached}`, async () => {
        const c = make(R);
        const { state, losses } = await run(c, c.trainer.init(c.model, c.model.init(replicaRngs(7, R))), 1, N);
        const accuracy = learnedAccuracy === undefined ? [] : await heldOut(c, state.params, signAgreement);
        const mse = learnedMse === undefined ? [] : await heldOut(c, state.params, tf.squaredDifference);
        c.trainer.dispose(state);
        const shown = (xs: number[]) => xs.map((a) => a.toPrecision(3)).join(', ');
        for (const [r, a] of accuracy.entries())
          expect(a, `replica ${r} (held-out sign accuracies ${shown(accuracy)})`).toBeGreaterThanOrEqual(
            learnedAccuracy as number,
          );
        for (const [r, e] of mse.entries())
          expect(e, `replica ${r} (held-out mean squared errors ${shown(mse)})`).toBeLessThanOrEqual(
            learnedMse as number,
          );
        const mean = (rows: number[][], r: number) => rows.reduce((s, l) => s + (l[r] as number), 0) / rows.length;
        for (let r = 0; r < R; r++) {
          const [first, last] = [mean(losses.slice(0, 10), r), mean(losses.slice(-10), r)];
          expect(last, `replica ${r}: first 10 losses average ${first}, last 10 ${last}`).toBeLessThan(0.8 * first);
        }
      });

      it('saveState after 3 steps, read back as a checkpoint and restored into a fresh trainer, continues like the uninterrupted run (bit-identical on cpu), and leaves no tensor once both runs are disposed', async () => {
        const a = make(R);
        const b = make(R);
        // Counted after both trainers and models exist: what they hold for their lifetime is theirs.
        const before = tf.memory().numTensors;
        const start = await run(a, a.trainer.init(a.model, a.model.init(replicaRngs(13, R))), 1, 3);
        const file = await toHost(a.trainer.saveState(start.state));
        expect(file.step).toBe(3);
        const straight = await run(a, start.state, 4, 7);
        const straightParams = await toHost(a.trainer.saveState(straight.state));
        a.trainer.dispose(straight.state);
        // A new trainer and model: nothing may live outside the saved state.
        const restored = b.trainer.restoreState(b.model, {
          step: file.step,
          params: fromHost(file.params),
          slots: fromHost(file.slots),
        });
        const resumed = await run(b, restored, 4, 7);
        const resumedParams = await toHost(b.trainer.saveState(resumed.state));
        b.trainer.dispose(resumed.state);
        expect(resumedParams.step).toBe(7);
        if (tf.getBackend() === 'cpu') {
          expect(resumed.losses, 'losses after the restore').toEqual(straight.losses);
          for (const [k, v] of Object.entries(straightParams.params))
            expect(resumedParams.params[k]?.data, `params.${k}`).toEqual(v.data);
        } else {
          await expectClose(resumed.losses.flat(), straight.losses.flat(), {
            atol: 1e-6,
            rtol: 1e-5,
            what: 'losses after the restore',
          });
          for (const [k, v] of Object.entries(straightParams.params))
            await expectClose(resumedParams.params[k]?.data ?? [], v.data, {
              atol: 1e-6,
              rtol: 1e-5,
              what: `params.${k}`,
            });
        }
        expect(Object.keys(resumedParams.slots).sort()).toEqual(Object.keys(straightParams.slots).sort());
        expect(tf.memory().numTensors, 'tensors left by init, steps, saveState, restoreState and dispose').toBe(before);
      });
    });
  }
}
