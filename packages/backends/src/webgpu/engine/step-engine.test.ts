/**
 * The step engine makes a kernel that fails to compile, a buffer the GPU could not allocate, or a
 * step whose commands fail validation, loud: Dawn reports either only asynchronously and would run on without that work,
 * so the engine keeps the error and the next submit, or the next read of a tensor's values,
 * throws it.
 */
/// <reference types="@webgpu/types" />
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../testing/describe-each-backend.js';
import type { GpuStepEngine } from '@learnability/core';
import { setupBackend } from '../../setup-backend.js';
import { tiledMatMul } from '../kernels/tiled-matmul.js';
import { gpuStepEngine } from './step-engine.js';

/**
 * Submits a step that fails validation (one buffer bound twice as writable) under the pipeline key
 * `key`; returns the owner of its buffer.
 */
function submitAliasedStep(engine: GpuStepEngine, key: string): object {
  const layout = engine.storageLayout(2, 0);
  const code = `@group(0) @binding(0) var<storage, read_write> a: array<f32>;
    @group(0) @binding(1) var<storage, read_write> b: array<f32>;
    @compute @workgroup_size(1) fn main() { a[0] = b[0]; }`;
  const pipeline = engine.pipeline(key, code, 'main', layout);
  const owner = {};
  const buffer = engine.buffer(owner, 'both bindings', 16);
  const group = engine.device.createBindGroup({
    layout,
    entries: [0, 1].map((binding) => ({ binding, resource: { buffer } })),
  });
  engine.submit((encoder) => {
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, group);
    pass.dispatchWorkgroups(1);
    pass.end();
  });
  return owner;
}

describeEachBackend('WebGPU step engine', (backend) => {
  it.skipIf(backend !== 'webgpu')(
    'a pipeline that fails to compile makes the next submit throw, naming it',
    async () => {
      const engine = gpuStepEngine(tf.backend());
      const layout = engine.device.createBindGroupLayout({ entries: [] });
      engine.pipeline(
        'planted-bad-kernel',
        '@compute @workgroup_size(1) fn main() { let active = 1u; }',
        'main',
        layout,
      );
      await engine.device.queue.onSubmittedWorkDone();
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(() => engine.submit(() => {})).toThrow(/failed to compile: main of planted-bad-kernel…: .*active/);
      expect(() => engine.submit(() => {})).not.toThrow(); // once: the run it belonged to has stopped
    },
  );

  it.skipIf(backend !== 'webgpu')(
    'a step whose commands fail validation makes the next submit throw, saying why',
    async () => {
      const engine = gpuStepEngine(tf.backend());
      const owner = submitAliasedStep(engine, 'planted-aliasing-step');
      await engine.device.queue.onSubmittedWorkDone();
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(() => engine.submit(() => {})).toThrow(
        /commands failed validation, and its results are wrong: .*aliasing/,
      );
      expect(() => engine.submit(() => {})).not.toThrow();
      engine.release(owner);
    },
  );

  it.skipIf(backend !== 'webgpu')(
    'a buffer the device could not allocate makes the next submit say the GPU ran out of memory, naming it',
    async () => {
      const engine = gpuStepEngine(tf.backend());
      const device = engine.device;
      // No device here runs out at test sizes: the out-of-memory scope's answer is planted.
      const [push, pop] = [device.pushErrorScope.bind(device), device.popErrorScope.bind(device)];
      const scopes: GPUErrorFilter[] = [];
      device.pushErrorScope = (filter) => {
        scopes.push(filter);
        push(filter);
      };
      device.popErrorScope = async () => {
        const [filter, error] = [scopes.pop(), await pop()];
        return filter === 'out-of-memory' ? ({ message: 'planted: out of memory' } as GPUError) : error;
      };
      const owner = {};
      try {
        engine.buffer(owner, 'planted activations', 100);
      } finally {
        [device.pushErrorScope, device.popErrorScope] = [push, pop];
      }
      await device.queue.onSubmittedWorkDone();
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(() => engine.submit(() => {})).toThrow(
        `the GPU ran out of memory for a WebGPU step kernel's buffer "planted activations" (112 bytes): planted: out of memory; lower the run's batch size, replicas or model size`,
      );
      expect(() => engine.submit(() => {})).not.toThrow();
      engine.release(owner);
    },
  );

  it.skipIf(backend !== 'webgpu')(
    "a run's last call, with no submit after it, fails the next read of any tensor instead",
    async () => {
      const engine = gpuStepEngine(tf.backend());
      const owner = submitAliasedStep(engine, 'planted-aliasing-last-call');
      // At once, as a run's final evaluation reads its results: the error scope has not popped yet.
      const result = tf.add(tf.tensor([1, 2]), 1);
      await expect(result.data()).rejects.toThrow(/commands failed validation, and its results are wrong: .*aliasing/);
      // Once: the run it belonged to has stopped; nothing was read or cached by the failed read.
      expect(Array.from(await result.data())).toEqual([2, 3]);
      result.dispose();
      engine.release(owner);
    },
  );

  it.skipIf(backend !== 'webgpu')(
    'refuses, in one line, a float32 tensor whose buffer holds int32 words (a cast from bool)',
    async () => {
      const engine = gpuStepEngine(tf.backend());
      const mask = tf.cast(tf.greater(tf.tensor([1, -1, 2]), 0), 'float32');
      await mask.data(); // on the device
      expect(() => engine.bufferOf(mask)).toThrow(
        'WebGPU step engine: a float32 input is stored as bool (tf.cast from bool keeps the stored values on webgpu); make it with an op that computes float32 values, e.g. tf.step(x) for a 0/1 mask',
      );
      const stepped = tf.step(tf.tensor([1, -1, 2]));
      expect(engine.bufferOf(stepped)).toBeDefined();
      tf.dispose([mask, stepped]);
    },
  );

  it.skipIf(backend !== 'webgpu')(
    'a kernel called after a failure throws it before making its output: no tensor or buffer is left',
    async () => {
      await setupBackend('webgpu');
      const engine = gpuStepEngine(tf.backend());
      const [a, b] = [tf.ones([4, 8]) as tf.Tensor2D, tf.ones([8, 4]) as tf.Tensor2D];
      await Promise.all([a.data(), b.data()]); // on the device
      const owner = submitAliasedStep(engine, 'planted-aliasing-before-output');
      await engine.device.queue.onSubmittedWorkDone();
      await new Promise((resolve) => setTimeout(resolve, 10));
      const [tensors, ids] = [tf.memory().numTensors, tf.backend().numDataIds()];
      expect(() => tiledMatMul(a, b)).toThrow(/commands failed validation/);
      expect([tf.memory().numTensors, tf.backend().numDataIds()]).toEqual([tensors, ids]);
      tf.dispose([a, b]);
      engine.release(owner);
    },
  );

  it.skipIf(backend !== 'webgpu')(
    'keeps the 256 most recently used pipelines: a key past them compiles again, a recent one does not',
    () => {
      const engine = gpuStepEngine(tf.backend());
      const layout = engine.storageLayout(1, 0);
      const code = (i: number) =>
        `@group(0) @binding(0) var<storage, read_write> a: array<f32>;
        @compute @workgroup_size(1) fn main() { a[0] = ${i}.0; }`;
      const make = (i: number) => engine.pipeline(`lru-${i}`, code(i), 'main', layout);
      const first = make(0);
      const second = make(1);
      for (let i = 2; i < 256; i++) make(i);
      expect(make(0)).toBe(first); // used again: now the most recent
      make(256); // the 257th key: lru-1, the least recently used, is dropped
      expect(make(0)).toBe(first);
      expect(make(1)).not.toBe(second);
    },
  );
});
