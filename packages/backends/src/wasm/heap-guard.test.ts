import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { setupTestBackend } from '../testing/setup-test-backend.js';
import { installHeapGuard } from './heap-guard.js';

const FIX = "; lower run.batchSize, run.evalChunk or the model's size, or use --backend webgpu";

describe('wasm: a tensor the heap cannot hold', () => {
  beforeAll(async () => {
    await setupTestBackend('wasm');
  });

  it('is refused in one line from 2 GiB up, before the allocation (setupBackend installed the guard)', async () => {
    const before = tf.memory().numTensors;
    expect(() => tf.fill([2 ** 29], 1)).toThrow(
      `wasm: out of memory: a 2,048 MiB tensor is over the 2,048 MiB one wasm tensor may take${FIX}`,
    );
    expect(installHeapGuard(tf.backend())).toBe(true); // idempotent
    expect(tf.memory().numTensors).toBe(before);
    const x = tf.fill([4], 2); // the backend works on
    expect(Array.from(await x.data())).toEqual([2, 2, 2, 2]);
    x.dispose();
  });

  it('is an error where the heap returns no memory (0), not a tensor written over the heap', () => {
    // tfjs-wasm's own _malloc, as a full heap answers: address 0.
    const wasm = { _malloc: (_bytes: number) => 0, _free: (_at: number) => undefined };
    const backend = { wasm: { ...wasm, wasmMemory: new WebAssembly.Memory({ initial: 2 }) } };
    expect(installHeapGuard(backend)).toBe(true);
    expect(() => backend.wasm._malloc(3 * 2 ** 20)).toThrow(
      `wasm: out of memory: a 3 MiB tensor does not fit in the wasm heap (grown to 1 MiB, 4,096 at most)${FIX}`,
    );
    expect(backend.wasm._malloc(0)).toBe(0); // nothing asked, nothing wrong
  });
});
