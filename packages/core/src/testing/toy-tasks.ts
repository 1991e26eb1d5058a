import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '../rng.js';
import type { Batch } from '../contracts.js';

export interface SignTeacherOptions {
  replicas: number;
  batchSize: number;
  /** n: input bits. */
  inputSize: number;
  /** Outputs, each its own teacher. Default 1. */
  outputs?: number;
  /** Seed of the teacher and of the samples. Default 0. */
  seed?: number;
}

/**
 * A learnable toy task for trainer tests: x ∈ {±1}^n uniform, y_j = sign(⟨w*_j, x⟩) (+1 on a
 * tie) for a fixed teacher w* ~ N(0, I). The batch of step `step` is fresh and the same for the
 * same step: x (R, B, n), y (R, B, outputs).
 */
export function signTeacherBatch(o: SignTeacherOptions, step: number): Batch {
  const { replicas: R, batchSize: B, inputSize: n, outputs = 1, seed = 0 } = o;
  const teacher = new Float32Array(outputs * n);
  createRng(seed).fork('sign-teacher').normals(teacher, 1);
  const x = new Float32Array(R * B * n);
  createRng(seed).fork(`sign-teacher-step-${step}`).signs(x);
  const y = new Float32Array(R * B * outputs);
  for (let row = 0; row < R * B; row++) {
    for (let j = 0; j < outputs; j++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += (teacher[j * n + i] as number) * (x[row * n + i] as number);
      y[row * outputs + j] = dot >= 0 ? 1 : -1;
    }
  }
  return { x: tf.tensor3d(x, [R, B, n]), y: tf.tensor3d(y, [R, B, outputs]) };
}
