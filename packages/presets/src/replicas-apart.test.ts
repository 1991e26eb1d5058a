/**
 * Replicas never mix, for every model with every trainer it trains under, on every backend, with
 * the fused kernels registered: training steps from replica 1 set to NaN leave replicas 0 and 2
 * where they are without it. The contract `runExperiment`'s freezing of a diverged replica rests
 * on (replica-freeze.ts); it caught tfjs-backend-webgpu 4.22's batched matMul reading past K into
 * the next batch (guard-matmul-reads.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, it } from 'vitest';
import { describeEachBackend, setupTestBackend } from '@learnability/backends/testing';
import { createRng } from '@learnability/core';
import type { Params } from '@learnability/core';
import { ReplicaSampler } from '@learnability/experiment';
import { KERNELS } from './kernels.js';
import { applyOverrides } from './overrides.js';
import { getPreset } from './presets.js';
import { resolve } from './resolve.js';
import { validateConfig } from './validate.js';

const R = 3;
const POISONED = 1;
const STEPS = 2;

const PARITY = ['task.n=10', 'task.k=2', 'model.widths=[16]', 'run.batchSize=8'];
/** [label, preset, --set overrides]: every trainer on the dense MLP, and each other model with its trainers. */
const CASES: [string, string, string[]][] = [
  ['dense × sgd', 'sparse-parity', PARITY],
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

/** Every param's values after STEPS steps from the same init and batches, replica `poisoned` set to NaN first; and how the step ran. */
async function train(preset: string, sets: string[], poisoned: number | null) {
  const config = validateConfig(
    applyOverrides(structuredClone(getPreset(preset).config), [...sets, `run.replicas=${R}`]),
  );
  const { model, trainer, task, options } = resolve(config);
  if (!model || !trainer) throw new Error(`${preset}: no model or trainer`);
  const initial = model.init(Array.from({ length: R }, (_, r) => createRng(100 + r)));
  let state = trainer.init(model, poisoned === null ? initial : poison(initial, poisoned));
  const rngs = Array.from({ length: R }, (_, r) => createRng(200 + r));
  const sampler = new ReplicaSampler(task, rngs, options.batchSize, options.trainSetSize);
  for (let step = 1; step <= STEPS; step++) {
    const batch = sampler.next(step);
    const result = trainer.step(state, batch);
    tf.dispose([batch.x, batch.y, result.loss]);
    state = result.state;
  }
  const values: Record<string, Float32Array> = {};
  for (const [name, t] of Object.entries(state.params)) values[name] = (await t.data()) as Float32Array;
  const how = trainer.describeStep?.() ?? 'generic';
  trainer.dispose(state);
  return { values, how };
}

const slice = (values: Float32Array, r: number) => {
  const per = values.length / R;
  return Array.from(values.subarray(r * per, (r + 1) * per));
};

describeEachBackend('replicas never mix', (backend) => {
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
  }
});
