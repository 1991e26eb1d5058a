import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend } from '@learnability/backends/testing';
import { createRng, replicaRngs } from '@learnability/core';
import type { Batch, Model, Trainer, TrainerState } from '@learnability/core';
import { expectClose } from '@learnability/core/testing';
import { createDense } from '@learnability/dense';
import type { DenseConfig } from '@learnability/dense';
import { describe, expect, it } from 'vitest';
import type { LossName } from './losses.js';
import { createSgd } from './sgd.js';

const tensorOf = (shape: number[], seed: number, kind: 'signs' | 'normals') => {
  const v = new Float32Array(shape.reduce((a, b) => a * b, 1));
  if (kind === 'signs') createRng(seed).signs(v);
  else createRng(seed).normals(v, 1);
  return tf.tensor(v, shape);
};

/** Trains `steps` steps; returns the final state and every step's (R,) loss. */
function train(trainer: Trainer, model: Model, batches: Batch[]): { state: TrainerState; losses: tf.Tensor[] } {
  let state = trainer.init(model, model.init(replicaRngs(7, model.replicas)));
  const losses: tf.Tensor[] = [];
  for (const b of batches) {
    const r = trainer.step(state, b);
    state = r.state;
    losses.push(r.loss);
  }
  return { state, losses };
}

interface Case {
  title: string;
  dense: DenseConfig;
  batch: number;
  loss: LossName;
  lr: number;
  weightDecay: number;
}

// Odd sizes on purpose: the SIMD kernel's 8-, 4- and 1-column tiles and 4- and 1-row tiles all run.
const CASES: Case[] = [
  { title: 'sparse-parity shape, 3 replicas, hinge, weight decay', dense: { inputSize: 13, widths: [37], replicas: 3 }, batch: 7, loss: 'hinge', lr: 0.1, weightDecay: 0.01 },
  { title: 'one replica, two hidden layers, mse', dense: { inputSize: 9, widths: [21, 70], replicas: 1, bias: 'fan-in' }, batch: 12, loss: 'mse', lr: 0.02, weightDecay: 0 },
  { title: '5 replicas, NTK, 2 outputs, logistic', dense: { inputSize: 6, widths: [16, 9], outputSize: 2, replicas: 5, parameterization: 'ntk', bias: 'unit' }, batch: 5, loss: 'logistic', lr: 0.3, weightDecay: 0.001 },
  { title: 'correlation loss, batch 1', dense: { inputSize: 4, widths: [8], replicas: 2 }, batch: 1, loss: 'correlation', lr: 0.05, weightDecay: 0.02 },
];

describeEachBackend('fused dense SGD step', (backend) => {
  for (const c of CASES) {
    it(`equals the generic TF.js step after 12 steps: ${c.title}`, async () => {
      const model = createDense(c.dense);
      const generic: Model = { ...model, fusedSgdStep: undefined };
      const trainer = createSgd({ lr: c.lr, weightDecay: c.weightDecay, loss: c.loss });
      const reference = createSgd({ lr: c.lr, weightDecay: c.weightDecay, loss: c.loss });
      const R = model.replicas;
      const out = model.outputSize;
      const batches = Array.from({ length: 12 }, (_, i) => ({
        x: tensorOf([R, c.batch, c.dense.inputSize], 100 + i, 'signs'),
        y: tensorOf([R, c.batch, out], 200 + i, c.loss === 'mse' ? 'normals' : 'signs'),
      }));
      const before = tf.memory().numTensors;
      const fused = train(trainer, model, batches);
      // On wasm the kernel must really run: a silent fallback would make this test compare the generic path with itself.
      if (backend === 'wasm') expect(trainer.describeStep?.()).toMatch(/^fused kernel/);
      else expect(trainer.describeStep?.()).toMatch(/^generic TF\.js .*no fused dense step kernel/);
      const plain = train(reference, generic, batches);
      expect(reference.describeStep?.()).toMatch(/^generic TF\.js/);
      for (const name of Object.keys(plain.state.params)) {
        await expectClose(fused.state.params[name] as tf.Tensor, plain.state.params[name] as tf.Tensor, { atol: 2e-5, rtol: 1e-4, what: name });
      }
      for (let i = 0; i < batches.length; i++) await expectClose(fused.losses[i] as tf.Tensor, plain.losses[i] as tf.Tensor, { atol: 1e-5, rtol: 1e-4, what: `loss at step ${i + 1}` });
      trainer.dispose(fused.state);
      reference.dispose(plain.state);
      tf.dispose([...fused.losses, ...plain.losses]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose(batches.flatMap((b) => [b.x, b.y]));
    });
  }

  it('a step keeps no tensor of its own', () => {
    const model = createDense({ inputSize: 10, widths: [32], replicas: 2 });
    const trainer = createSgd({ lr: 0.1, weightDecay: 0.01 });
    const batch = { x: tensorOf([2, 8, 10], 1, 'signs'), y: tensorOf([2, 8, 1], 2, 'signs') };
    let state = trainer.init(model, model.init(replicaRngs(1, 2)));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const r = trainer.step(state, batch);
      state = r.state;
      r.loss.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    trainer.dispose(state);
    tf.dispose([batch.x, batch.y]);
  });

  it('says why it runs the generic path for what the kernel does not cover', () => {
    const gelu = createDense({ inputSize: 4, widths: [8], activation: 'gelu' });
    const sgd = createSgd();
    sgd.dispose(sgd.init(gelu, gelu.init(replicaRngs(1, 1))));
    expect(sgd.describeStep?.()).toMatch(/generic TF\.js on \w+: the fused step covers ReLU MLPs, not activation "gelu"/);
    const relu = createDense({ inputSize: 4, widths: [8] });
    const momentum = createSgd({ momentum: 0.9 });
    momentum.dispose(momentum.init(relu, relu.init(replicaRngs(1, 1))));
    expect(momentum.describeStep?.()).toMatch(/sgd has no fused step here \(only plain SGD, momentum 0, has one\)/);
  });
});

describe('fused step contract', () => {
  it('a trainer that was never initialised says so', () => {
    expect(createSgd().describeStep?.()).toBe('not initialised');
  });
});
