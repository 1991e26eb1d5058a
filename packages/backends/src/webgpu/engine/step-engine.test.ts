/**
 * The step engine makes a kernel that fails to compile loud: Dawn reports it only
 * asynchronously and would run the step without that pipeline's work, so the engine keeps the
 * error and the next submit throws it.
 */
/// <reference types="@webgpu/types" />
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../testing/describe-each-backend.js';
import { gpuStepEngine } from './step-engine.js';

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
});
