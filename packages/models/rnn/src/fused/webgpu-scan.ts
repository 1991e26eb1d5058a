/**
 * The webgpu implementations of scan.ts's kernels as plug-ins, on the step engine
 * (`GpuStepEngine`, @learnability/core): one command encoder, one submit and one compute pass a
 * call, one dispatch a step, nothing read back. A thread computes one element of a step: the dot
 * product of its row of h_{t−1} (or of gate_{t+1} ⊙ g_{t+1}) with a column of w_r (a row, back),
 * plus u_t (a_t). The step index is the engine's (`steppedLayout`), so a call's steps share one
 * bind group, made per call: its buffers are TF.js's own, new tensors every call.
 */
/// <reference types="@webgpu/types" preserve="true" />
import { dispatchGrid, webGpuPlugins } from '@learnability/core';
import type { GpuStepEngine, KernelPlugin } from '@learnability/core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { RNN_SCAN, RNN_SCAN_BACK } from '../scan.js';
import { scanSizes } from './scan-inputs.js';

const GROUP = 64;
/** Shapes whose pipelines stay at hand (a run uses one or two; a sweep's worker many in turn). */
const MAX_PLANS = 8;

/** What both programs share: sizes, the step binding and the thread index. */
const header = (B: number, n: number, step: number, nx: number) => /* wgsl */ `
const B = ${B}u;
const N = ${n}u;
const STEP = ${step}u;
struct Step { t: u32 }
@group(0) @binding(0) var<storage, read> now: Step;
fn threadOf(wid: vec3u, li: u32) -> u32 { return (wid.x + wid.y * ${nx}u) * ${GROUP}u + li; }
`;

/** Forward, step t ≥ 1 (step 0 is a copy): z_t = u_t + h_{t−1}·w_r, h_t = relu(z_t). */
const forwardWgsl = (B: number, n: number, step: number, nx: number) => /* wgsl */ `${header(B, n, step, nx)}
@group(0) @binding(1) var<storage, read> u: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read_write> z: array<f32>;
@group(0) @binding(4) var<storage, read_write> h: array<f32>;

// max(x, 0.0) would return 0 for NaN (WGSL's max returns the other operand): NaN stays, as in tf.relu.
fn relu(x: f32) -> f32 { return select(x, 0.0, x < 0.0); }

@compute @workgroup_size(${GROUP})
fn scan(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) li: u32) {
  let i = threadOf(wid, li);
  if (i >= STEP) { return; }
  let t = now.t;
  let row = i / N;
  let j = i % N;
  let previous = (t - 1u) * STEP + row * N;
  let weights = (row / B) * N * N + j;
  var acc = 0.0;
  for (var k = 0u; k < N; k++) { acc += h[previous + k] * w[weights + k * N]; }
  let at = t * STEP + i;
  let zt = u[at] + acc;
  z[at] = zt;
  h[at] = relu(zt);
}

// h_0 = relu(z_0), z_0 = u_0 (copied in before the pass).
@compute @workgroup_size(${GROUP})
fn first(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) li: u32) {
  let i = threadOf(wid, li);
  if (i >= STEP) { return; }
  h[i] = relu(z[i]);
}
`;

/** Back, step t ≤ T − 2 (g_{T−1} = a_{T−1} is a copy): g_t = a_t + (gate_{t+1} ⊙ g_{t+1})·w_rᵀ. */
const backWgsl = (B: number, n: number, step: number, nx: number) => /* wgsl */ `${header(B, n, step, nx)}
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> gate: array<f32>;
@group(0) @binding(3) var<storage, read> w: array<f32>;
@group(0) @binding(4) var<storage, read_write> g: array<f32>;

@compute @workgroup_size(${GROUP})
fn scanBack(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) li: u32) {
  let i = threadOf(wid, li);
  if (i >= STEP) { return; }
  let t = now.t;
  let row = i / N;
  let j = i % N;
  let next = (t + 1u) * STEP + row * N;
  let weights = (row / B) * N * N + j * N;
  var acc = 0.0;
  for (var k = 0u; k < N; k++) { acc += gate[next + k] * g[next + k] * w[weights + k]; }
  let at = t * STEP + i;
  g[at] = a[at] + acc;
}
`;

function scanKernels(gpu: GpuStepEngine): Record<string, KernelFunc> {
  const nx = gpu.limits.maxComputeWorkgroupsPerDimension;
  const layouts = { forward: gpu.steppedLayout(4, 2), back: gpu.steppedLayout(4, 3) };
  /** The compiled entry points of each size (B, n, R·B·n), kept per shape: a call then builds no WGSL. */
  const plans = gpu.plans<GPUComputePipeline[]>(MAX_PLANS);
  const pipelines = (kind: 'forward' | 'back', B: number, n: number, step: number) =>
    plans(`${kind}:${B}:${n}:${step}`, () => {
      const [code, entries] =
        kind === 'forward'
          ? [forwardWgsl(B, n, step, nx), ['first', 'scan']]
          : [backWgsl(B, n, step, nx), ['scanBack']];
      return entries.map((entry) => gpu.pipeline(`${entry}:${code}`, code, entry, layouts[kind]));
    });
  /** Workgroups for one element per thread of a step, as (x, y). */
  const grid = (step: number) => dispatchGrid(Math.ceil(step / GROUP), nx);
  /** Throws, in one line, where a (T, R, B, n) sequence is over this device's binding limit. */
  const checkSize = (kernelName: string, T: number, step: number) => {
    const [bytes, limit] = [T * step * 4, gpu.limits.maxStorageBufferBindingSize];
    if (bytes > limit)
      throw new Error(
        `${kernelName}: a sequence of ${T} steps needs ${bytes} bytes in one binding, over this device's maxStorageBufferBindingSize ${limit}; lower run.batchSize or the width`,
      );
  };

  return {
    [RNN_SCAN]: ({ inputs }) => {
      const { u, w } = inputs as Record<'u' | 'w', TensorInfo>;
      const { T, B, n, step } = scanSizes(RNN_SCAN, inputs as Record<string, TensorInfo>, ['u']);
      checkSize(RNN_SCAN, T, step);
      const [first, scan] = pipelines('forward', B, n, step) as [GPUComputePipeline, GPUComputePipeline];
      const workgroups = grid(step);
      // Inputs first: a refused input (bool-stored) then throws before any output exists.
      const [uBuffer, wBuffer] = [u, w].map((x) => gpu.bufferOf(x)) as GPUBuffer[];
      const [z, h] = [gpu.output([...u.shape]), gpu.output([...u.shape])];
      const [zBuffer, hBuffer] = [z, h].map((x) => gpu.bufferOf(x)) as GPUBuffer[];
      gpu.runSteps({
        layout: layouts.forward,
        buffers: [uBuffer, wBuffer, zBuffer, hBuffer] as GPUBuffer[],
        steps: T,
        dispatches: Array.from({ length: T }, (_, t) => [t === 0 ? first : scan, t, workgroups]),
        // z_0 = u_0 (h_{−1} = 0): the first program only applies the ReLU.
        before: (e) => e.copyBufferToBuffer(uBuffer as GPUBuffer, 0, zBuffer as GPUBuffer, 0, step * 4),
      });
      return [z, h];
    },
    [RNN_SCAN_BACK]: ({ inputs }) => {
      const { a, gate, w } = inputs as Record<'a' | 'gate' | 'w', TensorInfo>;
      const { T, B, n, step } = scanSizes(RNN_SCAN_BACK, inputs as Record<string, TensorInfo>, ['a', 'gate']);
      checkSize(RNN_SCAN_BACK, T, step);
      const [back] = pipelines('back', B, n, step) as [GPUComputePipeline];
      const workgroups = grid(step);
      const [aBuffer, gateBuffer, wBuffer] = [a, gate, w].map((x) => gpu.bufferOf(x)) as GPUBuffer[];
      const g = gpu.output([...a.shape]);
      const gBuffer = gpu.bufferOf(g);
      const last = (T - 1) * step * 4;
      gpu.runSteps({
        layout: layouts.back,
        buffers: [aBuffer, gateBuffer, wBuffer, gBuffer] as GPUBuffer[],
        steps: T,
        dispatches: Array.from({ length: T - 1 }, (_, i) => [back, T - 2 - i, workgroups]),
        // g_{T−1} = a_{T−1}.
        before: (e) => e.copyBufferToBuffer(aBuffer as GPUBuffer, last, gBuffer as GPUBuffer, last, step * 4),
      });
      return [g];
    },
  };
}

/** One plug-in per kernel, both made once per engine (they share its layouts). */
export const WEBGPU_SCAN_KERNELS: readonly KernelPlugin[] = webGpuPlugins([RNN_SCAN, RNN_SCAN_BACK], scanKernels);
