/**
 * Every rule's training of the ReLU RNN with its scan kernels (`RNN_KERNELS`: the recurrence and
 * the signal back through time as one kernel each) equals the same training composed of TF.js
 * ops, on every backend that has the kernels, and the kernels really ran.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describeOnBackends, setupTestBackend, withoutKernels } from '@learnability/backends/testing';
import { createRng, replicaRngs } from '@learnability/core';
import type { Batch, Trainer, TrainerState } from '@learnability/core';
import { expectClose } from '@learnability/core/testing';
import { RNN_KERNELS, createRnn } from '@learnability/rnn';
import { beforeAll, expect, it } from 'vitest';
import { createAlignTrainer } from './align-trainer.js';
import type { AlignConfig } from './align-config.js';

const SCAN_KERNELS = ['LearnabilityRnnScan', 'LearnabilityRnnScanBack'];
const RULES: AlignConfig[] = [
  { rule: 'backprop' },
  { rule: 'align-zero' },
  { rule: 'align-ada', gate: 'current' },
  { rule: 'align-ada', gate: 'frozen' },
  { rule: 'fa' },
  { rule: 'dfa' },
  { rule: 'readout-only' },
];

const tensor = (shape: number[], seed: number, draw: 'bits' | 'normals') => {
  const v = new Float32Array(shape.reduce((a, b) => a * b, 1));
  const rng = createRng(seed);
  if (draw === 'normals') rng.normals(v, 0.5);
  else for (let i = 0; i < v.length; i++) v[i] = rng.uniform() < 0.5 ? 0 : 1;
  return tf.tensor(v, shape);
};

/**
 * Three steps from θ₀ (seed 3) on fixed batches, stepped inside `around` (which may set kernels
 * aside while the steps run); returns the final parameters on the host and the kernels that ran.
 */
async function train(config: AlignConfig, around: <T>(f: () => T) => T = (f) => f()) {
  const model = createRnn({ inputSize: 2, steps: 10, width: 8, replicas: 2, bias: 'fan-in' });
  const trainer: Trainer = createAlignTrainer({ ...config, lr: 0.05 });
  let state: TrainerState = trainer.init(model, model.init(replicaRngs(3, 2)));
  const batches: Batch[] = [0, 1, 2].map((i) => ({
    x: tensor([2, 6, 10, 2], 10 + i, 'bits'),
    y: tensor([2, 6, 10], 20 + i, 'normals'),
  }));
  const { kernelNames } = await tf.profile(() =>
    around(() => {
      for (const b of batches) {
        const r = trainer.step(state, b);
        r.loss.dispose();
        state = r.state;
      }
      return [];
    }),
  );
  const params = Object.fromEntries(
    await Promise.all(
      Object.entries(state.params).map(async ([k, t]) => [k, (await t.data()) as Float32Array] as const),
    ),
  );
  trainer.dispose(state);
  tf.dispose(batches as unknown as tf.TensorContainer);
  return { params, kernelNames };
}

describeOnBackends(['wasm', 'webgpu'], "the RNN's scan kernels under every rule", (backend) => {
  beforeAll(async () => {
    await setupTestBackend(backend, { kernels: RNN_KERNELS });
  });
  for (const config of RULES)
    it(`3 steps of ${config.rule}${config.gate ? ` (${config.gate} gate)` : ''} equal the ops'`, async () => {
      const before = tf.memory().numTensors;
      const fused = await train(config);
      const ops = await train(config, (f) => withoutKernels(SCAN_KERNELS, f));
      // DFA and readout-only send nothing back through time: only the forward recurrence is a kernel there.
      const forwardOnly = config.rule === 'dfa' || config.rule === 'readout-only';
      const expected = forwardOnly ? SCAN_KERNELS.slice(0, 1) : SCAN_KERNELS;
      expect(fused.kernelNames).toEqual(expect.arrayContaining(expected));
      expect(ops.kernelNames.filter((k) => SCAN_KERNELS.includes(k))).toEqual([]);
      expect(tf.memory().numTensors).toBe(before);
      for (const [name, v] of Object.entries(ops.params)) {
        const got = tf.tensor(fused.params[name] as Float32Array);
        await expectClose(got, v, { atol: 1e-5, rtol: 1e-4, what: name });
        got.dispose();
      }
    });
});
