/**
 * The webgpu implementations of fused-unroll.ts's kernels as plug-ins, on the step engine
 * (`GpuStepEngine`, @learnability/core). Composed of TF.js ops a gated step is about 60 kernels
 * forward and back, and on a real GPU each is its own dispatch at 55–90 µs; here a call is one
 * command encoder and one submit, with one dispatch per step forward and two per step back
 * (unroll-wgsl.ts), and nothing is read back.
 *
 * The kept steps (states, gates, candidates) are TF.js tensors the gradient tape saves, so the
 * programs bind TF.js's own buffers: one bind group per call, not per run (as the dense step
 * does), in exchange for no second copy of every kept step. The step index is the engine's
 * (`steppedLayout`: a dynamic offset), so a call's steps share that bind group. Scratch (two
 * states without keep; ∂z, ∂inj and ∂w back) and the compiled pipelines are kept per shape.
 */
/// <reference types="@webgpu/types" preserve="true" />
import { dispatchGrid, webGpuPlugins } from '@learnability/core';
import type { GpuStepEngine, KernelPlugin, SteppedCall } from '@learnability/core';
import type { KernelFunc } from '@tensorflow/tfjs-core';
import { RCNN_UNROLL, RCNN_UNROLL_GRAD } from '../../fused-unroll.js';
import { FLOAT, unrollCall, unrollGradCall } from '../unroll-geometry.js';
import type { Geometry } from '../unroll-geometry.js';
import { GROUP, backwardWgsl, forwardWgsl } from './unroll-wgsl.js';

/** Each program binds the step index (binding 0, at a dynamic offset) and six buffers, read-only ones first. */
const BUFFERS = 6;
const MAX_PLANS = 8;

/** One (kernel, shape, steps, keep) case's pipelines, workgroup grids and scratch, made on its first call. */
interface Plan {
  layout: GPUBindGroupLayout;
  pipelines: GPUComputePipeline[];
  /** Workgroups of each pipeline, as (x, y). */
  grids: [number, number][];
  /** Two states (forward without keep), or ∂z, ∂inj and ∂w (backward). */
  scratch: GPUBuffer;
  /** Stand-ins for the gates and candidates a forward call without keep does not write (two: writable bindings may not alias). */
  unused: [GPUBuffer, GPUBuffer];
}

/** Throws, in one line, where one binding of `bytes` is over this device's limit. */
function checkBinding(gpu: GpuStepEngine, kernelName: string, what: string, bytes: number): void {
  const limit = gpu.limits.maxStorageBufferBindingSize;
  if (bytes > limit)
    throw new Error(
      `${kernelName}: ${what} needs ${bytes} bytes in one binding, over this device's maxStorageBufferBindingSize ${limit}; checkpoint the unroll in shorter segments (model.checkpointEvery) or lower run.batchSize`,
    );
}

const stateGroups = (g: Geometry) => Math.ceil((g.R * g.rows * g.C) / GROUP);

function unrollKernels(gpu: GpuStepEngine): Record<string, KernelFunc> {
  const layouts = { forward: gpu.steppedLayout(BUFFERS, 2), backward: gpu.steppedLayout(BUFFERS, 4) };
  const plans = gpu.plans<Plan>(MAX_PLANS);
  const maxGroups = gpu.limits.maxComputeWorkgroupsPerDimension;

  /** A plan of `entries` of the program `code(nx)`, with `groups` workgroups each. */
  const plan = (
    key: unknown[],
    p: {
      layout: GPUBindGroupLayout;
      entries: string[];
      groups: number[];
      scratchBytes: number;
      code: (nx: number) => string;
    },
  ) =>
    plans(JSON.stringify(key), (owner) => {
      // At least 1: an empty state (no rows) dispatches nothing, on a grid of width 1.
      const nx = Math.max(1, Math.min(Math.max(...p.groups), maxGroups));
      const code = p.code(nx);
      return {
        layout: p.layout,
        pipelines: p.entries.map((entry) => gpu.pipeline(`${entry}:${code}`, code, entry, p.layout)),
        grids: p.groups.map((n) => dispatchGrid(n, nx)),
        scratch: gpu.buffer(owner, 'scratch', p.scratchBytes),
        unused: [gpu.buffer(owner, 'unused gates', 16), gpu.buffer(owner, 'unused candidates', 16)],
      };
    });

  /** One call (`runSteps`): every pipeline of the plan at each step of `order`, in one pass and one submit. */
  const run = (
    p: Plan,
    steps: number,
    order: number[],
    buffers: GPUBuffer[],
    hooks: Pick<SteppedCall, 'before' | 'after'>,
  ) =>
    gpu.runSteps({
      layout: p.layout,
      buffers,
      steps,
      dispatches: order.flatMap((t) =>
        p.pipelines.map((pipeline, i): SteppedCall['dispatches'][number] => [
          pipeline,
          t,
          p.grids[i] as [number, number],
        ]),
      ),
      ...hooks,
    });

  return {
    [RCNN_UNROLL]: ({ inputs, attrs }) => {
      const { s, inj, w, g, steps, keep } = unrollCall(inputs, attrs);
      const stateBytes = g.R * g.rows * g.cBytes;
      checkBinding(
        gpu,
        RCNN_UNROLL,
        keep ? `keeping ${steps} steps` : 'two states of scratch',
        (keep ? steps : 2) * stateBytes,
      );
      checkBinding(gpu, RCNN_UNROLL, 'the injection', 2 * stateBytes);
      const p = plan([RCNN_UNROLL, s.shape, w.shape, steps, keep], {
        layout: layouts.forward,
        entries: ['forward'],
        groups: [stateGroups(g)],
        scratchBytes: keep ? 16 : 2 * stateBytes,
        code: (nx) => forwardWgsl(g, { steps, keep, nx }),
      });
      // Inputs first: a refused input (bool-stored) then throws before any output exists.
      const [sBuffer, injBuffer, wBuffer] = [s, inj, w].map((t) => gpu.bufferOf(t));
      const last = gpu.output([...s.shape]);
      const kept = keep ? [0, 1, 2].map(() => gpu.output([steps, ...s.shape])) : [];
      const [states, gates, candidates] = keep ? kept.map((t) => gpu.bufferOf(t)) : [p.scratch, ...p.unused];
      const lastBuffer = gpu.bufferOf(last);
      const buffers = [injBuffer, wBuffer, states, gates, candidates, lastBuffer] as GPUBuffer[];
      const order = Array.from({ length: steps }, (_, t) => t);
      // s_0 = s: slot 0 of the states.
      run(p, steps, order, buffers, {
        before: (e) => e.copyBufferToBuffer(sBuffer as GPUBuffer, 0, states as GPUBuffer, 0, stateBytes),
      });
      return [last, ...kept];
    },
    [RCNN_UNROLL_GRAD]: ({ inputs }) => {
      const { states, gates, candidates, dy, w, g, steps } = unrollGradCall(inputs);
      const [zFloats, wFloats] = [g.R * g.rows * 2 * g.C, g.R * g.taps * 2 * g.C * g.C];
      checkBinding(gpu, RCNN_UNROLL_GRAD, `${steps} kept steps`, states.shape.reduce((n, d) => n * d, 1) * FLOAT);
      checkBinding(gpu, RCNN_UNROLL_GRAD, 'its scratch (∂z, ∂inj, ∂w)', (2 * zFloats + wFloats) * FLOAT);
      const p = plan([RCNN_UNROLL_GRAD, dy.shape, w.shape], {
        layout: layouts.backward,
        entries: ['gateGrad', 'convGrads'],
        groups: [stateGroups(g), stateGroups(g) + wFloats],
        scratchBytes: (2 * zFloats + wFloats) * FLOAT,
        code: (nx) => backwardWgsl(g, { nx }),
      });
      const dyBuffer = gpu.bufferOf(dy);
      const kept = [states, gates, candidates, w].map((t) => gpu.bufferOf(t));
      const ds = gpu.output([...dy.shape]);
      const dinj = gpu.output([...dy.shape.slice(0, 3), 2 * g.C]);
      const dw = gpu.output([...w.shape]);
      const [dsBuffer, dinjBuffer, dwBuffer] = [ds, dinj, dw].map((t) => gpu.bufferOf(t)) as GPUBuffer[];
      const order = Array.from({ length: steps }, (_, t) => steps - 1 - t);
      const stateBytes = g.R * g.rows * g.cBytes;
      run(p, steps, order, [...kept, dsBuffer, p.scratch] as GPUBuffer[], {
        before: (e) => {
          e.copyBufferToBuffer(dyBuffer as GPUBuffer, 0, dsBuffer as GPUBuffer, 0, stateBytes);
          e.clearBuffer(p.scratch, zFloats * FLOAT, (zFloats + wFloats) * FLOAT);
        },
        after: (e) => {
          e.copyBufferToBuffer(p.scratch, zFloats * FLOAT, dinjBuffer as GPUBuffer, 0, zFloats * FLOAT);
          e.copyBufferToBuffer(p.scratch, 2 * zFloats * FLOAT, dwBuffer as GPUBuffer, 0, wFloats * FLOAT);
        },
      });
      return [ds, dinj, dw];
    },
  };
}

/** One plug-in per kernel, both made once per engine (they share its layouts and plans). */
export const WEBGPU_UNROLL_KERNELS: readonly KernelPlugin[] = webGpuPlugins(
  [RCNN_UNROLL, RCNN_UNROLL_GRAD],
  unrollKernels,
);
