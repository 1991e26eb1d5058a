import * as tf from '@tensorflow/tfjs-core';
import type { KernelPlugin } from '@learnability/core';
import { describe, expect, it } from 'vitest';
import { setupBackend } from './setup-backend.js';

const doubler: KernelPlugin = {
  kernelName: 'LearnabilityTestDouble',
  backendName: 'cpu',
  prepare: ({ platform }) =>
    Promise.resolve(({ inputs }) => {
      const x = inputs['x'] as tf.Tensor;
      return tf.engine().runKernel('Multiply', { a: x, b: tf.scalar(platform === 'node' ? 2 : 0) }, {}) as tf.Tensor;
    }),
};
const unable: KernelPlugin = {
  kernelName: 'LearnabilityTestUnable',
  backendName: 'cpu',
  prepare: () => Promise.resolve('needs a quantum computer'),
};
const forWasm: KernelPlugin = {
  kernelName: 'LearnabilityTestWasmOnly',
  backendName: 'wasm',
  prepare: () => Promise.reject(new Error('never prepared on cpu')),
};

describe('kernel plug-ins', () => {
  it('registers nothing until setupBackend is given them, then only those for its backend, saying why not', async () => {
    expect(tf.getKernel('LearnabilityTestDouble', 'cpu')).toBeUndefined();
    const info = await setupBackend('cpu', { kernels: [doubler, unable, forWasm] });
    expect(info.kernels).toEqual([
      { kernel: 'LearnabilityTestDouble', registered: true },
      { kernel: 'LearnabilityTestUnable', registered: false, reason: 'needs a quantum computer' },
    ]);
    expect(tf.getKernel('LearnabilityTestUnable', 'cpu')).toBeUndefined();
    expect(tf.getKernel('LearnabilityTestWasmOnly', 'cpu')).toBeUndefined();
    const y = tf.engine().runKernel('LearnabilityTestDouble', { x: tf.tensor([1, 2]) }, {}) as tf.Tensor;
    expect(Array.from(await y.data())).toEqual([2, 4]);
    // A second setup of the same backend instance prepares nothing again.
    expect((await setupBackend('cpu', { kernels: [doubler] })).kernels).toEqual([
      { kernel: 'LearnabilityTestDouble', registered: true },
    ]);
    tf.unregisterKernel('LearnabilityTestDouble', 'cpu');
  });

  it('a plug-in whose preparation throws registers nothing and reports the error', async () => {
    const broken: KernelPlugin = {
      kernelName: 'LearnabilityTestBroken',
      backendName: 'cpu',
      prepare: () => Promise.reject(new Error('shader did not compile')),
    };
    const info = await setupBackend('cpu', { kernels: [broken] });
    expect(info.kernels).toEqual([
      { kernel: 'LearnabilityTestBroken', registered: false, reason: 'preparing it failed: shader did not compile' },
    ]);
  });
});
