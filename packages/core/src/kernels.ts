/**
 * The generic contracts for fused kernels. A model package owns its kernels (their names,
 * attributes, a float64 reference and one implementation per backend) and hands them to an
 * app as `KernelPlugin`s; the app passes them to `setupBackend(name, { kernels })`, which
 * prepares and registers the ones for the backend it sets up. Nothing registers on import.
 * (As tfjs keeps kernel names apart from backends and registers kernels from data.)
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc } from '@tensorflow/tfjs-core';
import type { GpuStepEngine } from './gpu-engine.js';
import { assertInt } from './assert.js';
import { isWasmTensorHeap, wasmHeap } from './wasm-heap.js';

/** The plain SGD rule a model's fused step must reproduce (what `Model.fusedSgdStep` is given). */
export interface SgdRule {
  lr: number;
  weightDecay: number;
  /** Loss name, e.g. 'hinge'. */
  loss: string;
}

/** What a plug-in's `prepare` is told about the backend that was just set up. */
export interface KernelSetupContext {
  /** The active TF.js backend instance (`tf.backend()`): the plug-in checks what it needs. */
  backend: unknown;
  /** wasm: the thread count in effect; 1 elsewhere. */
  threads: number;
  platform: 'node' | 'browser';
  /** webgpu: the step engine on this backend (see gpu-engine.ts). */
  gpu?: GpuStepEngine;
}

/**
 * One fused kernel for one backend, as data. `prepare` runs once per backend instance when
 * `setupBackend` sets that backend up (compile a module, start threads, check internals) and
 * returns the kernel function to register, or a string saying why it cannot run here (the
 * model's fused step then reports that reason and the trainer runs the generic path).
 */
export interface KernelPlugin {
  kernelName: string;
  backendName: 'cpu' | 'wasm' | 'webgpu';
  prepare(context: KernelSetupContext): Promise<KernelFunc | string>;
}

/** A webgpu plug-in whose kernel is made from the step engine `setupBackend` hands it (`context.gpu`). */
export function webGpuPlugin(kernelName: string, make: (gpu: GpuStepEngine) => KernelFunc): KernelPlugin {
  return {
    kernelName,
    backendName: 'webgpu',
    prepare: ({ gpu }) =>
      Promise.resolve(
        gpu ? make(gpu) : 'no WebGPU step engine was given (set the backend up with @learnability/backends)',
      ),
  };
}

/**
 * One webgpu plug-in per name, all made by one `make(gpu)` per engine (kernels that share
 * layouts, pipelines or scratch): `make` returns the kernel functions by name.
 */
export function webGpuPlugins(
  kernelNames: readonly string[],
  make: (gpu: GpuStepEngine) => Record<string, KernelFunc>,
): KernelPlugin[] {
  const made = new WeakMap<GpuStepEngine, Record<string, KernelFunc>>();
  const kernelsOf = (gpu: GpuStepEngine) => {
    let kernels = made.get(gpu);
    if (!kernels) made.set(gpu, (kernels = make(gpu)));
    return kernels;
  };
  return kernelNames.map((kernelName) =>
    webGpuPlugin(
      kernelName,
      (gpu) => kernelsOf(gpu)[kernelName] ?? fail(`${kernelName}: the plug-in made no such kernel`),
    ),
  );
}

const fail = (message: string): never => {
  throw new Error(message);
};

/**
 * A 1-D workgroup count as (x, y) within the per-dimension limit: x = min(groups, maxPerDimension),
 * x·y ≥ groups; the program reads id = x + y·maxPerDimension (or its own x, the same where y = 1)
 * and skips the ids past `groups`.
 */
export function dispatchGrid(groups: number, maxPerDimension: number): [number, number] {
  assertInt('dispatchGrid: groups', groups, 0);
  assertInt('dispatchGrid: maxPerDimension', maxPerDimension, 1);
  // No work is an empty dispatch, (0, 1), where 0 / 0 gave a NaN count.
  if (groups === 0) return [0, 1];
  const nx = Math.min(groups, maxPerDimension);
  return [nx, Math.ceil(groups / nx)];
}

/** Whether every kernel named is registered for the active backend (where a model's fused path may run). */
export function kernelsRegistered(...kernelNames: string[]): boolean {
  const backend = tf.getBackend();
  return kernelNames.every((name) => tf.getKernel(name, backend) !== undefined);
}

/**
 * Whether the engine records a gradient tape for what runs now (tfjs-core 4.22's engine state):
 * inside `tf.grad`, and not inside a kernel's own forward pass (a custom gradient's, or a
 * checkpointed segment's), which records nothing. Only then is what a backward pass needs worth
 * keeping, and only then must a kernel without a gradient be kept off the tape.
 */
export function tapeRecording(): boolean {
  const { gradientDepth, kernelDepth } = tf.engine().state;
  return gradientDepth > 0 && kernelDepth === 0;
}

/**
 * A wasm plug-in whose kernel is made from routines compiled on the wasm backend's heap: `make`
 * gets the heap's memory and returns kernel functions by name (the ones of a module that serves
 * several kernels; each plug-in takes its own). Without a heap the backend exposes, or where
 * the module does not compile (no WebAssembly SIMD), the plug-in says why and nothing registers.
 */
export function wasmHeapPlugin(
  kernelName: string,
  make: (memory: WebAssembly.Memory) => Promise<Record<string, KernelFunc>>,
): KernelPlugin {
  return {
    kernelName,
    backendName: 'wasm',
    async prepare({ backend }) {
      const memory = wasmHeap(backend);
      if (!memory || !isWasmTensorHeap(backend))
        return 'the wasm backend does not expose its heap (a tfjs-backend-wasm other than 4.22?)';
      const made = await make(memory).catch((e: unknown) => String(e));
      if (typeof made === 'string') return `the SIMD module does not compile here (no WebAssembly SIMD?): ${made}`;
      return made[kernelName] ?? `${kernelName}: the module made no such kernel`;
    },
  };
}

/**
 * A generic batch kernel the backends provide (no model's): x (R, …rowShape) float32 from R rows
 * of packed sign bits. Inputs { words } int32 (R · wordsPerRow) holding uint32 bits; attrs
 * { shape: [R, …rowShape], wordsPerRow }; value j of row r is +1 where bit j % 32 of
 * words[r · wordsPerRow + (j >> 5)] is set, else −1 (`Task.sampleSigns`' layout, row by row).
 */
export const UNPACK_SIGNS = 'LearnabilityUnpackSigns';

/** A type, not an interface, so it is a TF.js `NamedAttrMap` as it stands. */
export type UnpackSignsAttrs = {
  shape: number[];
  wordsPerRow: number;
};
