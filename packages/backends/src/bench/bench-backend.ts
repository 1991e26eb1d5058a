/**
 * `benchBackend`: a 1024² matMul and an MLP training step on one backend. Returns numbers; prints
 * nothing. Every sample ends with an `await data()` read back, so asynchronous backends (webgpu)
 * are timed to completion.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError, summarizeSamples } from '@learnability/core';
import type { ConfigIssue, SampleSummary } from '@learnability/core';
import { setupBackend } from '../setup-backend.js';
import type { SetupBackendOptions } from '../setup-options.js';
import type { BackendInfo, BackendRequest } from '../types.js';
import { createMlpBench } from './mlp-step.js';

/** Median, extremes and every sample of one measurement's repeats. */
export type TimingStats = SampleSummary;

export interface BenchOptions {
  /** Timed samples per measurement. Default: 5. */
  repeats?: number;
  /** Untimed samples first (shader compilation, wasm warm-up). Default: 1. */
  warmup?: number;
  /** MLP steps per timed sample (one read back per sample). Default: 10. */
  mlpSteps?: number;
  /** Seed of the random inputs and weights. Default: 0. */
  seed?: number;
  /** Passed to `setupBackend`. Default: `{}`. */
  setup?: SetupBackendOptions;
}

export interface BackendBench {
  /** The backend measured, as `setupBackend` reported it. */
  backend: BackendInfo;
  /** Milliseconds per (1024×1024)·(1024×1024) matMul, read back included. */
  matMul1024Ms: TimingStats;
  /** 50→512→512→1 MLP SGD steps (batch 64, MSE) per second. */
  mlpStepsPerSecond: TimingStats;
}

const DEFAULTS = { repeats: 5, warmup: 1, mlpSteps: 10, seed: 0 };

async function timeMatMul(seed: number, warmup: number, repeats: number): Promise<number[]> {
  const a = tf.randomUniform([1024, 1024], -1, 1, 'float32', seed);
  const b = tf.randomUniform([1024, 1024], -1, 1, 'float32', seed + 1);
  const samples: number[] = [];
  try {
    for (let i = 0; i < warmup + repeats; i++) {
      const start = performance.now();
      const c = tf.matMul(a, b);
      await c.data();
      c.dispose();
      if (i >= warmup) samples.push(performance.now() - start);
    }
  } finally {
    tf.dispose([a, b]);
  }
  return samples;
}

async function timeMlp(seed: number, warmup: number, repeats: number, steps: number): Promise<number[]> {
  const mlp = createMlpBench(seed);
  const samples: number[] = [];
  try {
    for (let i = 0; i < warmup + repeats; i++) {
      const start = performance.now();
      for (let s = 0; s < steps; s++) {
        const loss = mlp.step();
        if (s + 1 === steps) await loss.data();
        loss.dispose();
      }
      if (i >= warmup) samples.push((steps * 1000) / (performance.now() - start));
    }
  } finally {
    mlp.dispose();
  }
  return samples;
}

/** Sets up `name`, then times the matMul and the MLP step. Leaves `name` active. */
export async function benchBackend(name: BackendRequest, options: BenchOptions = {}): Promise<BackendBench> {
  const { repeats, warmup, mlpSteps, seed } = { ...DEFAULTS, ...options };
  const issues: ConfigIssue[] = [];
  for (const [path, value, min] of [
    ['repeats', repeats, 1],
    ['warmup', warmup, 0],
    ['mlpSteps', mlpSteps, 1],
  ] as const) {
    if (!Number.isInteger(value) || value < min)
      issues.push({ path, message: `expected an integer ≥ ${min}, got ${value}` });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  const backend = await setupBackend(name, options.setup);
  const matMul1024Ms = summarizeSamples(await timeMatMul(seed, warmup, repeats));
  const mlpStepsPerSecond = summarizeSamples(await timeMlp(seed, warmup, repeats, mlpSteps));
  return { backend, matMul1024Ms, mlpStepsPerSecond };
}
