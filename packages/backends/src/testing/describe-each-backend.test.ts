import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { availableBackends, describeEachBackend, describeOnBackends, setupTestBackend } from './index.js';

const available = await availableBackends();

it('availableBackends includes cpu unless LEARNABILITY_TEST_BACKENDS leaves it out', () => {
  const listed = process.env['LEARNABILITY_TEST_BACKENDS'];
  if (listed === undefined || listed.includes('cpu')) expect(available).toContain('cpu');
});

describeEachBackend('describeEachBackend', (backend) => {
  it('has set up its backend before the tests run', () => {
    expect(tf.getBackend()).toBe(backend);
    expect(available).toContain(backend);
  });
});

describeOnBackends(['wasm'], 'describeOnBackends', (backend) => {
  it('runs its suite on the named backend alone, which the suite sets up', async () => {
    expect(backend).toBe('wasm');
    await setupTestBackend(backend);
    expect(tf.getBackend()).toBe('wasm');
  });
});
