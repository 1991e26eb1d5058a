import * as tf from '@tensorflow/tfjs-core';
import { setupBackend } from '@learnability/backends';
import { describeOnBackends } from '@learnability/backends/testing';
import { KERNELS } from '@learnability/presets';
import { beforeAll, expect, it } from 'vitest';
import { QUICK_PLAN, trainCase } from './gpu-workloads.js';
import { trainStepOf, trainingLoop } from './train-bench.js';

describeOnBackends(['wasm', 'webgpu'], 'the benches’ training loop', (backend) => {
  beforeAll(async () => {
    await setupBackend(backend, { kernels: KERNELS });
  });

  it('counts the kernels of a fused step without keeping its loss', async () => {
    const parity = trainCase('parity', QUICK_PLAN);
    await trainStepOf(parity); // the kernels' first compiles and allocations
    const before = tf.memory().numTensors;
    const how = await trainStepOf(parity);
    expect(how.trainStep).toMatch(/^fused kernel \(dense model, sgd\)/);
    expect(how.kernelsPerStep).toBeGreaterThan(0);
    // tf.profile kept the step's loss it returned: one tensor a workload and round.
    expect(tf.memory().numTensors).toBe(before);
  });

  // On webgpu alone: wasm has no whole-step kernel for the transformer, so both would be generic there.
  it.skipIf(backend !== 'webgpu')(
    'generic: true runs the generic step for the transformers too (it cleared only the dense fused step)',
    () => {
      const looped = trainCase('looped', QUICK_PLAN);
      const steps = [false, true].map((generic) => {
        const loop = trainingLoop({ ...looped, generic }, 1);
        const step = loop.trainStep();
        loop.dispose();
        return step;
      });
      expect(steps[0]).toMatch(/^fused kernel \(looped-transformer model, looped-adam\)/);
      expect(steps[1]).toMatch(/^generic TF\.js/);
    },
  );
});
