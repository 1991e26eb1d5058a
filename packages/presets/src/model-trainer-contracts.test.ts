/**
 * Five contracts of every model with every trainer it trains under, on every backend, with the fused
 * kernels registered:
 * - Replicas never mix: steps from replica 1 set to NaN leave replicas 0 and 2 bit for bit where
 *   they are without it. `runExperiment`'s freezing of a diverged replica rests on it
 *   (replica-freeze.ts); it caught tfjs-backend-webgpu 4.22's batched matMul reading past K into
 *   the next batch (guard-matmul-reads.ts).
 * - A saved trainer state restored into a fresh model and trainer steps on bit for bit as the
 *   uninterrupted state does: what resuming a checkpoint rests on.
 * - Replica r of a run with seed s is the lone run with seed s + r (its summary: loss, scores,
 *   learned-at step): what a sweep's packing of consecutive seeds into one run rests on (pack.ts).
 *   Bit for bit on cpu and wasm; on webgpu, where tfjs picks a matMul program by the batch size and
 *   so sums in another order, the loss agrees to float32 rounding.
 * - A replica whose params turn NaN is frozen at the next evaluation at its last finite weights, and
 *   the run completes with the others' summaries unchanged (caught webgpu's where refusing the
 *   RCNN's rank-5 weights).
 * - Four steps on wasm or webgpu, fused kernels and all, give cpu's params to float32 tolerance.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, it } from 'vitest';
import { describeEachBackend, setupTestBackend } from '@learnability/backends/testing';
import { createRng } from '@learnability/core';
import { expectClose } from '@learnability/core/testing';
import type { Params, Trainer, TrainerState } from '@learnability/core';
import { ReplicaSampler, runExperiment } from '@learnability/experiment';
import { KERNELS } from './kernels.js';
import { applyOverrides } from './overrides.js';
import { getPreset } from './presets.js';
import { resolve } from './resolve.js';
import { validateConfig } from './validate.js';

const R = 3;
const POISONED = 1;
/** Steps of each run; a restored run is saved after STOP_AT. */
const STEPS = 4;
const STOP_AT = 2;

const PARITY = ['task.n=10', 'task.k=2', 'model.widths=[16]', 'run.batchSize=8'];
/** [label, preset, --set overrides]: every trainer on the dense MLP, and each other model with its trainers. */
const CASES: [string, string, string[]][] = [
  ['dense × sgd', 'sparse-parity', PARITY],
  // Wide enough for the tiled and threaded paths that tiny shapes skip.
  ['dense × sgd, 50 → 512 → 1, batch 64', 'sparse-parity', ['model.widths=[512]', 'run.batchSize=64']],
  ['dense × adam', 'sparse-parity', [...PARITY, 'trainer={"name":"adam","lr":0.01,"loss":"hinge"}']],
  ['dense × noisy-gd', 'noisy-gd-parity', ['model.widths=[16]', 'run.batchSize=32', 'run.trainSetSize=32']],
  ...['align-ada', 'align-zero', 'fa', 'dfa', 'readout-only', 'backprop'].map((name): [string, string, string[]] => [
    `dense × ${name}`,
    'sparse-parity',
    [...PARITY, `trainer={"name":"${name}","lr":0.1}`],
  ]),
  ...['align-ada', 'backprop'].map((name): [string, string, string[]] => [
    `rnn × ${name}`,
    'align-add',
    ['task.steps=5', 'model.width=8', 'run.batchSize=4', 'run.trainSetSize=8', `trainer={"name":"${name}","lr":0.1}`],
  ]),
  [
    'looped-transformer × looped-adam',
    'looped-linear-regression-small',
    [
      'task.points=5',
      'model.embedSize=8',
      'model.heads=2',
      'model.loops=2',
      'trainer.lossLoops=2',
      'trainer.loopsStart=2',
      'run.batchSize=4',
    ],
  ],
  ['rcnn × adam', 'rcnn-parity', ['task.n=8', 'task.k=2', 'model.channels=4', 'run.batchSize=4']],
  [
    'rcnn × sgd',
    'rcnn-parity',
    ['task.n=8', 'task.k=2', 'model.channels=4', 'run.batchSize=4', 'trainer={"name":"sgd","lr":0.1,"loss":"mse"}'],
  ],
];

/** `params` with replica `r`'s slice of every tensor set to NaN (disposes `params`). */
function poison(params: Params, r: number): Params {
  return Object.fromEntries(
    Object.entries(params).map(([name, t]) => {
      const mask = Array.from({ length: R }, (_, i) => i === r);
      // As (R, rest): webgpu's where takes rank ≤ 4, and the RCNN's weights are rank 5.
      const out = tf.tidy(() => {
        const flat = tf.reshape(t, [R, -1]);
        const nan = tf.fill(flat.shape, Number.NaN);
        return tf.reshape(tf.where(tf.reshape(tf.tensor1d(mask, 'bool'), [R, 1]), nan, flat), t.shape);
      });
      t.dispose();
      return [name, out];
    }),
  );
}

/** A preset with `sets` and R replicas (or the run settings `more`): its model, trainer, task and run options. */
function build(preset: string, sets: string[], more: string[] = [`run.replicas=${R}`]) {
  const config = validateConfig(applyOverrides(structuredClone(getPreset(preset).config), [...sets, ...more]));
  const { model, trainer, task, options } = resolve(config);
  if (!model || !trainer) throw new Error(`${preset}: no model or trainer`);
  return { model, trainer, task, options };
}

/**
 * Each replica's summary of a short run of the preset (evaluated at steps 3 and 6, never stopped
 * early); with `nanAfter`, replica POISONED's params are set to NaN after that step, as an overflow would.
 */
async function summaries(preset: string, sets: string[], replicas: number, seed: number, nanAfter?: number, steps = 6) {
  const { model, trainer, task, options } = build(preset, sets, [
    `run.replicas=${replicas}`,
    `run.seed=${seed}`,
    `run.steps=${steps}`,
    'run.evalEvery=3',
    'run.testSize=64',
    'run.stopWhenLearned=false',
  ]);
  const sabotaged: Trainer = {
    ...trainer,
    init: (m, params) => trainer.init(m, params),
    step: (state, batch) => {
      const out = trainer.step(state, batch);
      if (out.state.step !== nanAfter) return out;
      return { ...out, state: { ...out.state, params: poison(out.state.params, POISONED) } };
    },
    dispose: (state) => trainer.dispose(state),
  };
  const summary = await runExperiment(
    { model, trainer: nanAfter === undefined ? trainer : sabotaged, task },
    { runId: 'contract', config: {}, options },
  );
  return {
    status: summary.status,
    replicas: summary.replicas.map(
      ({ seed: s, learnedAtStep, testAccuracy, testError, finalLoss, divergedAtStep }) => ({
        seed: s,
        learnedAtStep,
        testAccuracy,
        testError,
        finalLoss,
        divergedAtStep,
      }),
    ),
  };
}

type Built = ReturnType<typeof build>;

/** The same batches for every call with the same task and options. */
const samplerFor = ({ task, options }: Built) =>
  new ReplicaSampler(
    task,
    Array.from({ length: R }, (_, r) => createRng(200 + r)),
    options.batchSize,
    options.trainSetSize,
  );

/** Steps `from`…`to` (1-based) of `trainer` from `state`, on `sampler`'s batches. */
function steps(trainer: Trainer, state: TrainerState, sampler: ReplicaSampler, from: number, to: number) {
  let s = state;
  for (let step = from; step <= to; step++) {
    const batch = sampler.next(step);
    const result = trainer.step(s, batch);
    tf.dispose([batch.x, batch.y, result.loss]);
    s = result.state;
  }
  return s;
}

/** Every param's values; disposes the state. */
async function readAndDispose(trainer: Trainer, state: TrainerState) {
  const values: Record<string, Float32Array> = {};
  for (const [name, t] of Object.entries(state.params)) values[name] = (await t.data()) as Float32Array;
  trainer.dispose(state);
  return values;
}

/** Params after STEPS steps from the same init and batches, replica `poisoned` set to NaN first; and how the step ran. */
async function train(preset: string, sets: string[], poisoned: number | null) {
  const built = build(preset, sets);
  const { model, trainer } = built;
  const initial = model.init(Array.from({ length: R }, (_, r) => createRng(100 + r)));
  const state = trainer.init(model, poisoned === null ? initial : poison(initial, poisoned));
  const values = await readAndDispose(trainer, steps(trainer, state, samplerFor(built), 1, STEPS));
  return { values, how: trainer.describeStep?.() ?? 'generic' };
}

/** Params after STEPS steps, the trainer's state saved after `stopAt` and restored into a fresh model and trainer. */
async function trainRestored(preset: string, sets: string[], stopAt: number) {
  const first = build(preset, sets);
  const sampler = samplerFor(first);
  const initial = first.model.init(Array.from({ length: R }, (_, r) => createRng(100 + r)));
  const atStop = steps(first.trainer, first.trainer.init(first.model, initial), sampler, 1, stopAt);
  // Copies, as a checkpoint's decoded tensors are: the saved state's tensors are the state's own.
  const saved = first.trainer.saveState(atStop);
  const copy = (ts: Record<string, tf.Tensor>) =>
    Object.fromEntries(Object.entries(ts).map(([k, t]) => [k, t.clone()]));
  const restoredFrom = { step: saved.step, params: copy(saved.params), slots: copy(saved.slots) };
  first.trainer.dispose(atStop);
  const second = build(preset, sets);
  const restored = second.trainer.restoreState(second.model, restoredFrom);
  return readAndDispose(second.trainer, steps(second.trainer, restored, sampler, stopAt + 1, STEPS));
}

const slice = (values: Float32Array, r: number) => {
  const per = values.length / R;
  return Array.from(values.subarray(r * per, (r + 1) * per));
};

describeEachBackend('every model with each of its trainers', (backend) => {
  beforeAll(async () => {
    await setupTestBackend(backend, { kernels: KERNELS });
  });

  for (const [label, preset, sets] of CASES) {
    it(`${label}: steps from a NaN replica ${POISONED} leave replicas 0 and 2 as they are without it`, async () => {
      const before = tf.memory().numTensors;
      const clean = await train(preset, sets, null);
      const dirty = await train(preset, sets, POISONED);
      expect(tf.memory().numTensors).toBe(before);
      for (const [name, values] of Object.entries(clean.values)) {
        const poisonedValues = dirty.values[name] as Float32Array;
        // The poison reached the step: replica 1 is not finite after it.
        expect(
          slice(poisonedValues, POISONED).some((v) => !Number.isFinite(v)),
          `${name} replica ${POISONED}`,
        ).toBe(true);
        for (const r of [0, 2])
          expect(slice(poisonedValues, r), `${label}, ${name}, replica ${r} (${dirty.how})`).toEqual(slice(values, r));
      }
    });

    it(`${label}: a state saved after step ${STOP_AT} and restored steps on as the uninterrupted one`, async () => {
      const before = tf.memory().numTensors;
      const straight = await train(preset, sets, null);
      const restored = await trainRestored(preset, sets, STOP_AT);
      expect(tf.memory().numTensors).toBe(before);
      for (const [name, values] of Object.entries(straight.values))
        expect(Array.from(restored[name] as Float32Array), `${label}, ${name} (${straight.how})`).toEqual(
          Array.from(values),
        );
    });

    it(`${label}: replica r of a run with seed 5 is the lone run with seed 5 + r`, async () => {
      const packed = (await summaries(preset, sets, R, 5)).replicas;
      for (let r = 0; r < R; r++) {
        const [alone] = (await summaries(preset, sets, 1, 5 + r)).replicas;
        const replica = packed[r];
        if (!alone || !replica) throw new Error(`${label}: no summary of replica ${r}`);
        const { finalLoss, testError, ...scores } = replica;
        const { finalLoss: aloneLoss, testError: aloneError, ...aloneScores } = alone;
        expect(scores, `${label}, replica ${r}`).toEqual(aloneScores);
        // Loss and a regression's test MSE are sums, in another order on webgpu.
        for (const [got, want] of [
          [finalLoss, aloneLoss],
          [testError, aloneError],
        ] as const)
          if (backend === 'webgpu') expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-6 * Math.abs(want));
          else expect(got, `${label}, replica ${r}`).toBe(want);
      }
    });

    it(`${label}: a replica set to NaN after step 4 is frozen at step 6 and stays at its step-3 weights; the run completes, the others unchanged`, async () => {
      const before = tf.memory().numTensors;
      const clean = await summaries(preset, sets, R, 5, undefined, 9);
      const atThree = await summaries(preset, sets, R, 5, undefined, 3);
      const broken = await summaries(preset, sets, R, 5, 4, 9);
      expect(tf.memory().numTensors).toBe(before);
      expect(broken.status).toBe('completed');
      expect(broken.replicas.map((r) => r.divergedAtStep)).toEqual([null, 6, null]);
      for (const r of [0, 2]) expect(broken.replicas[r], `${label}, replica ${r}`).toEqual(clean.replicas[r]);
      // Scored at step 9 on the weights it was frozen at: its step-3 evaluation's.
      const scores = ({ testAccuracy, testError }: { testAccuracy: number | null; testError: number }) => ({
        testAccuracy,
        testError,
      });
      expect(scores(broken.replicas[1] as never), `${label}, replica 1`).toEqual(scores(atThree.replicas[1] as never));
    });

    it.skipIf(backend === 'cpu')(`${label}: trains as on cpu, to float32 tolerance`, async () => {
      const here = await train(preset, sets, null);
      await setupTestBackend('cpu', { kernels: KERNELS });
      try {
        const onCpu = await train(preset, sets, null);
        for (const [name, values] of Object.entries(onCpu.values))
          await expectClose(here.values[name] as Float32Array, values, {
            atol: 1e-5,
            rtol: 1e-4,
            what: `${label}, ${name} (${here.how})`,
          });
      } finally {
        await setupTestBackend(backend, { kernels: KERNELS });
      }
    });
  }
});
