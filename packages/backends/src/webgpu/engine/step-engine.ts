/**
 * The WebGPU step engine (`GpuStepEngine`, @learnability/core) on tfjs-backend-webgpu: cached
 * pipelines, persistent buffers per owner, and one command encoder and one submit per step.
 * One engine per backend instance; model kernels get it through `KernelSetupContext.gpu`.
 */
/// <reference types="@webgpu/types" preserve="true" />
import type { GpuStepEngine } from '@learnability/core';
import { webGpuInternals } from './tfjs-webgpu-internals.js';

const engines = new WeakMap<object, GpuStepEngine>();

/**
 * Compiled pipelines kept, least recently used dropped first. Keys carry shapes and (dense)
 * hyper-parameters, so a sweep's runs on one pool thread would add pipelines without end; a plan
 * holding a dropped pipeline keeps it alive, and a dropped key compiles again if asked for.
 */
const MAX_PIPELINES = 256;

/** The engine of a tfjs WebGPUBackend instance (made once; throws if tfjs's internals differ). */
export function gpuStepEngine(backend: object): GpuStepEngine {
  let engine = engines.get(backend);
  if (!engine) engines.set(backend, (engine = createEngine(backend)));
  return engine;
}

function createEngine(backend: object): GpuStepEngine {
  const tfjs = webGpuInternals(backend);
  const device = tfjs.device;
  const pipelines = new Map<string, GPUComputePipeline>();
  const layouts = new Map<string, GPUBindGroupLayout>();
  const owned = new WeakMap<object, Map<string, GPUBuffer>>();
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
  // A pipeline that fails to compile, or a step that fails validation (a binding over a limit
  // made inside the step, aliased writable bindings), is only reported asynchronously, and Dawn
  // would skip its work and run on; the first failure is kept and thrown by the next submit or,
  // for a run's last call, by the next read of any tensor's values, so it is loud either way.
  let compileError: string | null = null;
  let stepError: string | null = null;
  // A buffer the device could not allocate (a run past the GPU's memory, which no limit bounds):
  // said as such, where the step that binds it would report only that its commands failed validation.
  let memoryError: string | null = null;
  // An error scope that could not be popped: a bug here, said as one.
  let scopeError: string | null = null;
  /** Error scopes not popped yet: a read waits for them. */
  const pending = new Set<Promise<void>>();
  const watch = (popped: Promise<GPUError | null>, keep: (message: string) => void) => {
    const done: Promise<void> = popped
      .then(
        (error) => {
          if (error) keep(error.message);
        },
        // A pop rejects only when its scope is missing (a bug here): loud too, under its own name.
        (rejected: unknown) => {
          scopeError ??= String(rejected);
        },
      )
      .finally(() => pending.delete(done));
    pending.add(done);
  };
  /** The kept failure as a message, cleared: the run it belongs to stops at the throw. */
  const takeFailure = (): string | null => {
    const failure =
      compileError !== null
        ? `a WebGPU step kernel failed to compile: ${compileError}`
        : scopeError !== null
          ? `the WebGPU step engine could not read an error scope (a bug in learnability; please report it): ${scopeError}`
          : memoryError !== null
            ? `the GPU ran out of memory for a WebGPU step kernel's buffer ${memoryError}; lower the run's batch size, replicas or model size`
            : stepError !== null
              ? `a WebGPU step kernel's commands failed validation, and its results are wrong: ${stepError}`
              : null;
    [compileError, scopeError, memoryError, stepError] = [null, null, null, null];
    return failure;
  };
  const throwKeptFailure = () => {
    const failure = takeFailure();
    if (failure !== null) throw new Error(failure);
  };
  tfjs.checkEachRead(async () => {
    if (pending.size > 0) await Promise.all(pending);
    throwKeptFailure();
  });
  /** A buffer `owner` keeps until `release(owner)`, made again when a larger one is asked for. */
  const ownedBuffer = (owner: object, name: string, bytes: number): GPUBuffer => {
    let mine = owned.get(owner);
    if (!mine) owned.set(owner, (mine = new Map()));
    const size = Math.max(16, Math.ceil(bytes / 16) * 16);
    let buffer = mine.get(name);
    if (!buffer || buffer.size < size) {
      buffer?.destroy();
      device.pushErrorScope('out-of-memory');
      buffer = device.createBuffer({ size, usage, label: name });
      watch(device.popErrorScope(), (message) => {
        memoryError ??= `"${name}" (${size.toLocaleString('en-US')} bytes): ${message}`;
      });
      mine.set(name, buffer);
    }
    return buffer;
  };
  /** `count` storage bindings from `first`, the first `readOnly` of them read-only. */
  const storageEntries = (first: number, count: number, readOnly: number): GPUBindGroupLayoutEntry[] =>
    Array.from({ length: count }, (_, i) => ({
      binding: first + i,
      visibility: GPUShaderStage.COMPUTE,
      buffer: { type: i < readOnly ? 'read-only-storage' : 'storage' },
    }));
  /** The layout of `entries`, made once per `key`. */
  const layoutOf = (key: string, entries: GPUBindGroupLayoutEntry[]): GPUBindGroupLayout => {
    let layout = layouts.get(key);
    if (!layout) layouts.set(key, (layout = device.createBindGroupLayout({ entries })));
    return layout;
  };
  // Step indices for programs dispatched once per step (`steppedLayout`), one per storage offset alignment.
  const stepOwner = {};
  const stepStride = device.limits.minStorageBufferOffsetAlignment;
  let stepBuffer: GPUBuffer | null = null;
  let stepCount = 0;
  const release = (owner: object): void => {
    for (const b of owned.get(owner)?.values() ?? []) b.destroy();
    owned.delete(owner);
  };
  const engine: GpuStepEngine = {
    device,
    limits: {
      maxStorageBufferBindingSize: device.limits.maxStorageBufferBindingSize,
      maxComputeWorkgroupsPerDimension: device.limits.maxComputeWorkgroupsPerDimension,
      maxComputeWorkgroupStorageSize: device.limits.maxComputeWorkgroupStorageSize,
      maxStorageBuffersPerShaderStage: device.limits.maxStorageBuffersPerShaderStage,
    },
    storageLayout: (bindings, readOnly) => layoutOf(`${bindings}:${readOnly}`, storageEntries(0, bindings, readOnly)),
    steppedLayout: (buffers, readOnly) =>
      layoutOf(`stepped:${buffers}:${readOnly}`, [
        // The step index: read at a dynamic offset, one word.
        {
          binding: 0,
          visibility: GPUShaderStage.COMPUTE,
          buffer: { type: 'read-only-storage', hasDynamicOffset: true, minBindingSize: 4 },
        },
        ...storageEntries(1, buffers, readOnly),
      ]),
    stepIndices(count) {
      if (count > stepCount) {
        // Room for 1,024 steps at first, then for the next power of two: a new buffer is rare.
        stepCount = Math.max(1024, 2 ** Math.ceil(Math.log2(count)));
        const words = new Int32Array((stepCount * stepStride) / 4);
        for (let t = 0; t < stepCount; t++) words[(t * stepStride) / 4] = t;
        const buffer = ownedBuffer(stepOwner, 'step indices', words.byteLength);
        device.queue.writeBuffer(buffer, 0, words);
        stepBuffer = buffer;
      }
      return stepBuffer as GPUBuffer;
    },
    stepOffset: (t) => t * stepStride,
    pipeline(key, code, entryPoint, layout) {
      let p = pipelines.get(key);
      if (p)
        pipelines.delete(key); // set again below: most recently used last
      else {
        device.pushErrorScope('validation');
        const module = device.createShaderModule({ code });
        p = device.createComputePipeline({
          layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
          compute: { module, entryPoint },
        });
        watch(device.popErrorScope(), (message) => {
          compileError ??= `${entryPoint} of ${key.slice(0, 60)}…: ${message}`;
        });
        if (pipelines.size >= MAX_PIPELINES) pipelines.delete(pipelines.keys().next().value as string);
      }
      pipelines.set(key, p);
      return p;
    },
    buffer: ownedBuffer,
    release,
    plans<P>(max: number) {
      const cache = new Map<string, { plan: P; owner: object }>(); // least recently used first
      return (key: string, make: (owner: object) => P): P => {
        let entry = cache.get(key);
        if (entry) cache.delete(key);
        else {
          const owner = {};
          entry = { plan: make(owner), owner };
        }
        cache.set(key, entry);
        if (cache.size > max) {
          const [oldest, evicted] = cache.entries().next().value as [string, { owner: object }];
          cache.delete(oldest);
          release(evicted.owner);
        }
        return entry.plan;
      };
    },
    bufferOf: (t) => tfjs.bufferOf(t),
    hostValues: (t) => tfjs.hostValues(t),
    // A kernel makes its outputs before its submit: a kept failure is thrown here first, before
    // any output's buffer exists, so the throw leaves nothing allocated.
    output: (shape) => {
      throwKeptFailure();
      return tfjs.output(shape);
    },
    write(buffer, data, byteOffset = 0) {
      device.queue.writeBuffer(buffer, byteOffset, data.buffer, data.byteOffset, data.byteLength);
    },
    runSteps({ layout, buffers, steps, dispatches, before, after }) {
      const indices = engine.stepIndices(steps);
      engine.submit((encoder) => {
        const group = device.createBindGroup({
          layout,
          entries: [
            { binding: 0, resource: { buffer: indices, size: 4 } },
            ...buffers.map((buffer, i) => ({ binding: i + 1, resource: { buffer } })),
          ],
        });
        before?.(encoder);
        const pass = encoder.beginComputePass();
        for (const [pipeline, t, [x, y]] of dispatches) {
          pass.setPipeline(pipeline);
          pass.setBindGroup(0, group, [t * stepStride]);
          pass.dispatchWorkgroups(x, y);
        }
        pass.end();
        after?.(encoder);
      });
    },
    submit(record) {
      throwKeptFailure();
      // TF.js's own recorded commands (uploads, earlier ops) come first: the step reads their results.
      tfjs.flushPending();
      device.pushErrorScope('validation');
      try {
        const encoder = device.createCommandEncoder();
        record(encoder);
        device.queue.submit([encoder.finish()]);
      } finally {
        // Popped whatever `record` does, so later errors are not caught in this step's scope.
        watch(device.popErrorScope(), (message) => {
          stepError ??= message.split('\n')[0] ?? message;
        });
      }
    },
  };
  return engine;
}
