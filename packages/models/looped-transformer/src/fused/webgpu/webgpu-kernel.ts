/**
 * The fused looped-transformer training step (`LOOPED_STEP`) for the webgpu backend, on the
 * step engine @learnability/backends hands to plug-ins (`GpuStepEngine`, @learnability/core).
 *
 * Why: a generic TF.js step of the paper-scale looped model is thousands of kernels, each its own
 * dispatch at 55–90 µs on a real GPU. Here the whole step — b iterations forward, T backward,
 * the trainer's update rule — is one compute pass of 7 dispatches per block application each way (step-programs.ts),
 * in one command encoder and one submit. θ, m and v stay in the engine's buffers between steps
 * (copied in only when the inputs are not the last step's outputs); the batch goes up with
 * writeBuffer; the new θ, m, v and the loss are copied into TF.js output tensors on the device.
 * Nothing is read back.
 */
/// <reference types="@webgpu/types" preserve="true" />
import { webGpuPlugin } from '@learnability/core';
import type { GpuStepEngine, KernelPlugin } from '@learnability/core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { LOOPED_STEP, checkLoopedStepInputs, loopedParamNames } from '../kernel-contract.js';
import type { LoopedStepAttrs, LoopedStepShape } from '../kernel-contract.js';
import { stepLayout } from './step-layout.js';
import type { StepLayout } from './step-layout.js';
import { stepPrograms } from './step-programs.js';
import type { Program } from './step-programs.js';
import { BINDING_COUNT } from './wgsl-common.js';

const F = 4; // bytes per float32
const MAX_PLANS = 4;

interface Dispatch {
  pipeline: GPUComputePipeline;
  group: GPUBindGroup;
  grid: [number, number];
}

/** A state tensor's home in the kernel's buffers. */
interface Place {
  buffer: GPUBuffer;
  /** Byte offset and length. */
  at: number;
  bytes: number;
}

interface StepPlan {
  layout: StepLayout;
  /** The whole step in order. */
  dispatches: Dispatch[];
  buffers: { sc: GPUBuffer; xy: GPUBuffer; th: GPUBuffer; gr: GPUBuffer; mo: GPUBuffer; st: GPUBuffer };
  /** Where each state input lives: θ and its slots, of every parameter in loopedParamNames order. */
  places: Place[];
  /** dataIds of the last step's θ, m, v outputs (a step on them needs no copy-in). */
  lastOutputs: object[];
}

/** Why this shape cannot run on this device, or null. */
function tooLarge(gpu: GpuStepEngine, L: StepLayout, slots: number, programs: Program[]): string | null {
  const limit = gpu.limits.maxStorageBufferBindingSize;
  const sizes = {
    θ: L.thetaFloats,
    '∇θ': L.gradFloats,
    "update rule's slots": slots * L.thetaFloats,
    batch: L.xyFloats,
    'activations of one block': L.actFloats,
    streams: L.stateFloats,
  };
  for (const [what, floats] of Object.entries(sizes))
    if (floats * F > limit)
      return `the buffer of its ${what} is ${floats * F} bytes, over this device's maxStorageBufferBindingSize ${limit}`;
  if (gpu.limits.maxStorageBuffersPerShaderStage < BINDING_COUNT)
    return `it binds ${BINDING_COUNT} storage buffers, over this device's limit of ${gpu.limits.maxStorageBuffersPerShaderStage}`;
  const max = gpu.limits.maxComputeWorkgroupsPerDimension;
  if (programs.some((p) => p.grid[0] > max || p.grid[1] > max))
    return `one of its dispatches needs more than ${max} workgroups along one axis`;
  return null;
}

function makePlan(gpu: GpuStepEngine, a: LoopedStepAttrs, shape: LoopedStepShape, owner: object): StepPlan {
  const L = stepLayout(shape, a, gpu.limits.maxStorageBufferBindingSize / F);
  const programs = stepPrograms(L, a.layerNormEpsilon, gpu.limits.maxComputeWorkgroupsPerDimension, a.update);
  const slots = a.update.slots.length;
  const all = [
    programs.readIn,
    ...programs.blocks.flatMap((b) => [...b.forward, ...b.backward]),
    programs.head,
    programs.headLoss,
    programs.headBackLast,
    programs.headBack,
    programs.readInBack,
    programs.positions,
    programs.loss,
    programs.update,
  ];
  const why = tooLarge(gpu, L, slots, all);
  if (why)
    throw new Error(
      `${LOOPED_STEP}: R=${L.R}, B=${L.B}, ${L.tokens} tokens, D=${L.D}, ${L.layers} layers: ${why}; lower run.replicas or run.batchSize`,
    );
  const layout = gpu.storageLayout(BINDING_COUNT, 2);
  const pipeline = (p: Program) => gpu.pipeline(`${LOOPED_STEP}:${p.code}`, p.code, 'main', layout);
  const buffer = (name: string, floats: number) => gpu.buffer(owner, name, floats * F);
  const buffers = {
    // Buffers may not be empty: a rule without scalars or slots still gets one float.
    sc: buffer('sc', Math.max(1, a.update.scalars.length)),
    xy: buffer('xy', L.xyFloats),
    th: buffer('th', L.thetaFloats),
    gr: buffer('gr', L.gradFloats),
    mo: buffer('mo', Math.max(1, slots * L.thetaFloats)),
    st: buffer('st', L.stateFloats),
  };
  // One bind group per (iteration slot, block): they differ only in the activations buffer.
  const groups = Array.from({ length: L.slots }, (_, slot) =>
    Array.from({ length: L.layers }, (_, l) =>
      gpu.device.createBindGroup({
        layout,
        entries: [
          buffers.sc,
          buffers.xy,
          buffers.th,
          buffers.gr,
          buffers.mo,
          buffer(`act${slot}.${l}`, L.actFloats),
          buffers.st,
        ].map((b, binding) => ({ binding, resource: { buffer: b } })),
      }),
    ),
  );
  const group = (slot: number, l: number) => groups[slot]?.[l] as GPUBindGroup;
  const dispatches: Dispatch[] = [];
  const add = (p: Program, slot: number, l: number) =>
    dispatches.push({ pipeline: pipeline(p), group: group(slot, l), grid: p.grid });
  const last = L.layers - 1;
  const free = a.loops - a.lossLoops; // iterations without gradient: their activations go to slot 0
  add(programs.readIn, 0, 0);
  for (let t = 0; t < a.loops; t++) {
    const slot = Math.max(0, t - free);
    programs.blocks.forEach((b, l) => {
      for (const p of b.forward) add(p, slot, l);
    });
    add(t < free ? programs.head : programs.headLoss, slot, last);
  }
  for (let t = a.loops - 1; t >= free; t--) {
    const slot = t - free;
    add(t === a.loops - 1 ? programs.headBackLast : programs.headBack, slot, last);
    for (let l = last; l >= 0; l--) for (const p of programs.blocks[l]?.backward ?? []) add(p, slot, l);
  }
  for (const p of [programs.readInBack, programs.positions, programs.loss, programs.update]) add(p, 0, 0);
  const places = loopedParamNames(a.layers).flatMap((name): Place[] => {
    const p = L.params[name];
    if (!p) throw new Error(`${LOOPED_STEP}: no layout for ${name}`);
    const bytes = L.R * p.size * F;
    const slotPlaces = Array.from({ length: slots }, (_, k) => ({
      buffer: buffers.mo,
      at: (k * L.thetaFloats + p.at) * F,
      bytes,
    }));
    return [{ buffer: buffers.th, at: p.at * F, bytes }, ...slotPlaces];
  });
  return { layout: L, dispatches, buffers, places, lastOutputs: [] };
}

/** The kernel function for one engine: plans cached by shape and schedule (the last MAX_PLANS). */
export function webGpuLoopedStepKernel(gpu: GpuStepEngine): KernelFunc {
  const plans = gpu.plans<StepPlan>(MAX_PLANS);
  const planFor = (a: LoopedStepAttrs, shape: LoopedStepShape): StepPlan =>
    plans(
      JSON.stringify([
        a.layers,
        a.heads,
        a.readout,
        a.layerNormEpsilon,
        a.loops,
        a.lossLoops,
        a.tokens,
        shape,
        [a.update.slots, a.update.wgsl, a.update.scalars.length],
      ]),
      (owner) => makePlan(gpu, a, shape, owner),
    );

  return ({ inputs, attrs }) => {
    const a = attrs as LoopedStepAttrs;
    const { list, shape } = checkLoopedStepInputs(inputs as Record<string, TensorInfo | undefined>, a);
    const plan = planFor(a, shape);
    const L = plan.layout;
    const { sc, xy, gr, st } = plan.buffers;
    const places = plan.places;
    const [x, y, ...state] = list as [TensorInfo, TensorInfo, ...TensorInfo[]];
    const copies: [GPUBuffer, GPUBuffer, number, number][] = []; // [from, to, to's byte offset, bytes]
    const xHost = gpu.hostValues(x);
    const yHost = gpu.hostValues(y);
    if (xHost && yHost) {
      gpu.write(xy, xHost);
      gpu.write(xy, yHost, L.yAt * F);
    } else {
      copies.push([gpu.bufferOf(x), xy, 0, L.yAt * F], [gpu.bufferOf(y), xy, L.yAt * F, (L.xyFloats - L.yAt) * F]);
    }
    if (a.update.scalars.length > 0) gpu.write(sc, Float32Array.from(a.update.scalars));
    const inPlace = plan.lastOutputs.length === state.length && state.every((t, i) => t.dataId === plan.lastOutputs[i]);
    if (!inPlace)
      state.forEach((t, i) => {
        const p = places[i] as Place;
        copies.push([gpu.bufferOf(t), p.buffer, p.at, p.bytes]);
      });

    const outputs = state.map((t) => gpu.output([...t.shape]));
    const loss = gpu.output([L.R]);
    gpu.submit((encoder) => {
      for (const [src, dst, at, n] of copies) encoder.copyBufferToBuffer(src, 0, dst, at, n);
      encoder.clearBuffer(gr);
      // Y₀ = 0, and the injection's gradient and the loss rows start from zero.
      for (const [at, floats] of [
        [L.state.y, L.R * L.N * L.D],
        [L.state.dInj, L.R * L.N * L.D],
        [L.state.lossRows, L.R * L.N],
      ] as const)
        encoder.clearBuffer(st, at * F, Math.ceil((floats * F) / 4) * 4);
      const pass = encoder.beginComputePass();
      for (const d of plan.dispatches) {
        pass.setPipeline(d.pipeline);
        pass.setBindGroup(0, d.group);
        pass.dispatchWorkgroups(...d.grid);
      }
      pass.end();
      outputs.forEach((o, i) => {
        const p = places[i];
        if (p) encoder.copyBufferToBuffer(p.buffer, p.at, gpu.bufferOf(o), 0, p.bytes);
      });
      encoder.copyBufferToBuffer(st, L.state.lossOut * F, gpu.bufferOf(loss), 0, L.R * F);
    });
    plan.lastOutputs = outputs.map((o) => o.dataId);
    return [...outputs, loss];
  };
}

/** The WebGPU implementation as a plug-in: it needs the step engine (`KernelSetupContext.gpu`). */
export const WEBGPU_LOOPED_STEP: KernelPlugin = webGpuPlugin(LOOPED_STEP, webGpuLoopedStepKernel);
