/**
 * The fused dense SGD step (`DENSE_SGD_STEP`) for the webgpu backend, on the step engine that
 * @learnability/backends hands to plug-ins (`GpuStepEngine`, @learnability/core).
 *
 * Why: a TF.js step of the sparse-parity model is ≈ 65 kernels, and on a real GPU each is its
 * own dispatch at 55–90 µs (tfjs's per-op JS, uniforms, bind groups and submits). Here a step
 * is three dispatches in one compute pass (step-wgsl.ts), one command encoder and one submit:
 * the batch goes up with writeBuffer (x, then y), θ stays on the GPU in two buffers that swap roles
 * (so the bind groups are made once per run), and the new θ and the loss are copied into
 * TF.js output tensors on the device. Nothing is read back.
 */
/// <reference types="@webgpu/types" preserve="true" />
import { dispatchGrid, webGpuPlugin } from '@learnability/core';
import type { GpuStepEngine, KernelPlugin } from '@learnability/core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { DENSE_SGD_STEP, checkDenseStepInputs } from '../kernel-contract.js';
import type { DenseSgdStepAttrs, DenseStepShape } from '../kernel-contract.js';
import { stepLayout } from './step-layout.js';
import type { StepLayout } from './step-layout.js';
import { denseStepWgsl } from './step-wgsl.js';

const F = 4; // bytes per float32
const BINDINGS = 7;

/** Everything one (shape, attributes) pair needs, made on its first step. */
interface StepPlan {
  layout: StepLayout;
  pipelines: { rows: GPUComputePipeline; weights: GPUComputePipeline; loss: GPUComputePipeline };
  grids: { rows: [number, number]; weights: [number, number]; loss: [number, number] };
  xy: GPUBuffer;
  theta: [GPUBuffer, GPUBuffer];
  lossOut: GPUBuffer;
  /** bindGroups[i] reads theta[i] and writes theta[1 − i]. */
  bindGroups: [GPUBindGroup, GPUBindGroup];
  /** Which theta holds the last step's outputs, and their dataIds (a step on them needs no copy-in). */
  current: 0 | 1 | null;
  lastOutputs: object[];
}

const MAX_PLANS = 4;

/** Why this shape cannot run on this device, or null. */
function tooLarge(gpu: GpuStepEngine, s: StepLayout): string | null {
  const limit = gpu.limits.maxStorageBufferBindingSize;
  const largest = Math.max(s.thetaFloats, s.actFloats, s.xyFloats) * F;
  if (largest > limit)
    return `one of its buffers needs ${largest} bytes, over this device's maxStorageBufferBindingSize ${limit}`;
  if (gpu.limits.maxStorageBuffersPerShaderStage < BINDINGS)
    return `it binds ${BINDINGS} storage buffers, over this device's limit of ${gpu.limits.maxStorageBuffersPerShaderStage}`;
  if (s.lossGroups > gpu.limits.maxComputeWorkgroupsPerDimension)
    return `${s.R} replicas are over what one dispatch of the loss covers`;
  return null;
}

function makePlan(gpu: GpuStepEngine, a: DenseSgdStepAttrs, shape: DenseStepShape, owner: object): StepPlan {
  const s = stepLayout(shape);
  const why = tooLarge(gpu, s);
  if (why)
    throw new Error(
      `${DENSE_SGD_STEP}: R=${s.R}, B=${s.B}, sizes ${s.sizes.join('→')}: ${why}; lower run.replicas or run.batchSize`,
    );
  const max = gpu.limits.maxComputeWorkgroupsPerDimension;
  const grids = {
    rows: dispatchGrid(s.rowGroups, max),
    weights: dispatchGrid(s.weightGroups, max),
    loss: [s.lossGroups, 1] as [number, number],
  };
  const code = denseStepWgsl(s, {
    scales: a.scales,
    lr: a.lr,
    weightDecay: a.weightDecay,
    loss: a.loss,
    nx: { rows: grids.rows[0], weights: grids.weights[0], loss: s.lossGroups },
  });
  const layout = gpu.storageLayout(BINDINGS, 2);
  const key = `${DENSE_SGD_STEP}:${code}`;
  const pipelines = {
    rows: gpu.pipeline(`${key}:rows`, code, 'rows', layout),
    weights: gpu.pipeline(`${key}:weights`, code, 'weights', layout),
    loss: gpu.pipeline(`${key}:loss`, code, 'loss', layout),
  };
  const buffer = (name: string, floats: number) => gpu.buffer(owner, name, floats * F);
  const xy = buffer('xy', s.xyFloats);
  const theta: [GPUBuffer, GPUBuffer] = [buffer('theta0', s.thetaFloats), buffer('theta1', s.thetaFloats)];
  const shared = [
    buffer('act', s.actFloats),
    buffer('delta', s.actFloats),
    buffer('lossElems', s.R * s.B * (s.sizes[s.layers] as number)),
    buffer('lossOut', s.R),
  ];
  const group = (from: 0 | 1) =>
    gpu.device.createBindGroup({
      layout,
      entries: [xy, theta[from], theta[1 - from] as GPUBuffer, ...shared].map((b, binding) => ({
        binding,
        resource: { buffer: b },
      })),
    });
  return {
    layout: s,
    pipelines,
    grids,
    xy,
    theta,
    lossOut: shared[3] as GPUBuffer,
    bindGroups: [group(0), group(1)],
    current: null,
    lastOutputs: [],
  };
}

/** The kernel function for one engine: plans cached by shape and attributes (the last MAX_PLANS). */
export function webGpuDenseStepKernel(gpu: GpuStepEngine): KernelFunc {
  const plans = gpu.plans<StepPlan>(MAX_PLANS);
  const planFor = (a: DenseSgdStepAttrs, shape: DenseStepShape): StepPlan =>
    plans(JSON.stringify([a.scales, a.loss, a.lr, a.weightDecay, shape.R, shape.B, shape.sizes]), (owner) =>
      makePlan(gpu, a, shape, owner),
    );

  return ({ inputs, attrs }) => {
    const a = attrs as DenseSgdStepAttrs;
    const { list, shape } = checkDenseStepInputs(inputs as Record<string, TensorInfo | undefined>, a.layers);
    const plan = planFor(a, shape);
    const s = plan.layout;
    const [x, y, ...params] = list as [TensorInfo, TensorInfo, ...TensorInfo[]];
    const copies: [GPUBuffer, GPUBuffer, number, number][] = []; // [from, to, to's byte offset, bytes]

    // The batch: written straight from the host values TF.js has not uploaded (x then y, no
    // staging copy of our own: at 1,024 replicas x is 6.5 MB a step), else device copies.
    const xHost = gpu.hostValues(x);
    const yHost = gpu.hostValues(y);
    if (xHost && yHost) {
      gpu.write(plan.xy, xHost);
      gpu.write(plan.xy, yHost, s.yAt * F);
    } else {
      copies.push(
        [gpu.bufferOf(x), plan.xy, 0, s.yAt * F],
        [gpu.bufferOf(y), plan.xy, s.yAt * F, (s.xyFloats - s.yAt) * F],
      );
    }
    // θ: already in place when these are the last step's outputs; else copied in.
    const inPlace = plan.current !== null && params.every((p, i) => p.dataId === plan.lastOutputs[i]);
    const from: 0 | 1 = inPlace && plan.current !== null ? plan.current : 0;
    const to: 0 | 1 = from === 0 ? 1 : 0;
    const offsets = params.map((_, i) => ((i % 2 === 0 ? s.wAt : s.bAt)[i >> 1] as number) * F);
    const bytes = params.map((p) => p.shape.reduce((n, d) => n * d, 1) * F);
    if (!inPlace)
      params.forEach((p, i) =>
        copies.push([gpu.bufferOf(p), plan.theta[from], offsets[i] as number, bytes[i] as number]),
      );

    const outputs = params.map((p) => gpu.output([...p.shape]));
    const loss = gpu.output([s.R]);
    gpu.submit((encoder) => {
      for (const [src, dst, at, n] of copies) encoder.copyBufferToBuffer(src, 0, dst, at, n);
      const pass = encoder.beginComputePass();
      pass.setBindGroup(0, plan.bindGroups[from]);
      for (const entry of ['rows', 'weights', 'loss'] as const) {
        pass.setPipeline(plan.pipelines[entry]);
        pass.dispatchWorkgroups(...plan.grids[entry]);
      }
      pass.end();
      outputs.forEach((o, i) =>
        encoder.copyBufferToBuffer(plan.theta[to], offsets[i] as number, gpu.bufferOf(o), 0, bytes[i] as number),
      );
      encoder.copyBufferToBuffer(plan.lossOut, 0, gpu.bufferOf(loss), 0, s.R * F);
    });
    plan.current = to;
    plan.lastOutputs = outputs.map((o) => o.dataId);
    return [...outputs, loss];
  };
}

/** The WebGPU implementation as a plug-in: it needs the step engine (`KernelSetupContext.gpu`). */
export const WEBGPU_DENSE_SGD_STEP: KernelPlugin = webGpuPlugin(DENSE_SGD_STEP, webGpuDenseStepKernel);
