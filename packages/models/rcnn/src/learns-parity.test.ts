import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend, setupTestBackend } from '@learnability/backends/testing';
import { createRng, replicaRngs } from '@learnability/core';
import { createSparseParityTask } from '@learnability/parity';
import { createAdam } from '@learnability/sgd';
import { expect, it } from 'vitest';
import { RCNN_KERNELS } from './fused/index.js';
import { createRcnn } from './rcnn.js';

/** All 2^d inputs of {±1}^d, (1, 2^d, d), and their full parity, (1, 2^d, 1). */
function allInputs(d: number): { x: tf.Tensor; y: tf.Tensor } {
  const x = new Float32Array((1 << d) * d);
  const y = new Float32Array(1 << d);
  for (let i = 0; i < 1 << d; i++) {
    let p = 1;
    for (let j = 0; j < d; j++) {
      const bit = (i >> j) & 1 ? -1 : 1;
      x[i * d + j] = bit;
      p *= bit;
    }
    y[i] = p;
  }
  return { x: tf.tensor(x, [1, 1 << d, d]), y: tf.tensor(y, [1, 1 << d, 1]) };
}

// Learning is a property of the model, not of a kernel: it runs on wasm, the fast CPU backend
// (the numeric tests cover every backend; lavapipe WebGPU would take minutes here), with the
// RCNN's kernels, as the CLI and the lab run it (their agreement with the ops is tested apart).
describeEachBackend('rcnn learns', (backend) => {
  it.skipIf(backend !== 'wasm')(
    'full parity of d = 8 bits from fresh samples: 100% on all 256 inputs within 2,000 Adam steps',
    async () => {
      await setupTestBackend('wasm', { kernels: RCNN_KERNELS });
      const d = 8;
      const task = createSparseParityTask({ n: d, k: d });
      const model = createRcnn({ inputShape: [d], channels: 4, depth: 4 });
      expect(model.describeKernels?.()).toMatch(/run as one wasm kernel each way$/);
      const trainer = createAdam({ lr: 3e-3, loss: 'mse' });
      let state = trainer.init(model, model.init(replicaRngs(0, 1)));
      const all = allInputs(d);
      const rng = createRng(5);
      let accuracy = 0;
      let steps = 0;
      while (steps < 2000 && accuracy < 1) {
        for (let i = 0; i < 100; i++, steps++) {
          const b = task.sample(32, rng);
          const batch = { x: tf.reshape(b.x, [1, 32, d]), y: tf.reshape(b.y, [1, 32, 1]) };
          const r = trainer.step(state, batch);
          state = r.state;
          tf.dispose([b.x, b.y, batch.x, batch.y, r.loss]);
        }
        const correct = tf.tidy(() =>
          tf.mean(tf.cast(tf.greater(tf.mul(model.apply(state.params, all.x), all.y), 0), 'float32')),
        );
        accuracy = (await correct.data())[0] as number;
        correct.dispose();
      }
      expect(accuracy, `accuracy on all 256 inputs after ${steps} steps`).toBe(1);
      trainer.dispose(state);
      tf.dispose([all.x, all.y]);
    },
  );
});
