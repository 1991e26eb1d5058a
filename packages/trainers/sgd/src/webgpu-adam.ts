/**
 * `ADAM_UPDATE` (adam-update.ts) on webgpu, on the step engine (`GpuStepEngine`,
 * @learnability/core): one command encoder and one submit a call, one dispatch a parameter, all
 * in one compute pass. Each dispatch binds that parameter's TF.js buffers (θ, g, m, v, and the new
 * θ', m', v', each at the tensor's size) in a bind group made per call: they are new tensors every step, and copying them
 * into buffers of our own would cost a second copy of θ and both moments. The statements are
 * wgsl-adam.ts's, the ones the looped transformer's fused step runs.
 */
/// <reference types="@webgpu/types" preserve="true" />
import { dispatchGrid, webGpuPlugin } from '@learnability/core';
import type { GpuStepEngine, KernelPlugin } from '@learnability/core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { ADAM_UPDATE } from './adam-update.js';
import type { AdamUpdateAttrs } from './adam-update.js';
import { wgslAdam } from './wgsl-adam.js';

const GROUP = 64;
/** The scalars, then θ, g, m, v (read-only), then θ', m', v'. */
const BINDINGS = 8;
const READ_ONLY = 5;

/** The program: element i of one parameter; sc holds the step's scalars (wgslAdam's), `nx` the grid's row. */
const adamWgsl = (statements: string, nx: number) => /* wgsl */ `
@group(0) @binding(0) var<storage, read> sc: array<f32>;
@group(0) @binding(1) var<storage, read> p: array<f32>;
@group(0) @binding(2) var<storage, read> grad: array<f32>;
@group(0) @binding(3) var<storage, read> m0: array<f32>;
@group(0) @binding(4) var<storage, read> v0: array<f32>;
@group(0) @binding(5) var<storage, read_write> p1: array<f32>;
@group(0) @binding(6) var<storage, read_write> m1: array<f32>;
@group(0) @binding(7) var<storage, read_write> v1: array<f32>;

@compute @workgroup_size(${GROUP})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) li: u32) {
  let i = (wid.x + wid.y * ${nx}u) * ${GROUP}u + li;
  if (i >= arrayLength(&p1)) { return; }
  let g = grad[i];
  var theta = p[i];
  var s = array<f32, 2>(m0[i], v0[i]);
  ${statements}
  p1[i] = theta;
  m1[i] = s[0];
  v1[i] = s[1];
}
`;

const fail = (what: string): never => {
  throw new Error(`${ADAM_UPDATE}: expected ${what}`);
};

function webGpuAdamKernel(gpu: GpuStepEngine): KernelFunc {
  const device = gpu.device;
  const layout = gpu.storageLayout(BINDINGS, READ_ONLY);
  const nx = gpu.limits.maxComputeWorkgroupsPerDimension;
  // The statements do not depend on the step or the hyper-parameters (those are scalars): one pipeline.
  const code = adamWgsl(wgslAdam({ lr: 1, beta1: 0.9, beta2: 0.999, epsilon: 1, weightDecay: 0 }, 1).wgsl, nx);
  const pipeline = gpu.pipeline(`${ADAM_UPDATE}:${code}`, code, 'main', layout);
  const scalars = gpu.buffer({}, 'adam scalars', 16 * 4);
  return ({ inputs, attrs }) => {
    const a = attrs as AdamUpdateAttrs;
    const tensors = inputs as Record<string, TensorInfo | undefined>;
    const params = Array.from({ length: a.count }, (_, i) => {
      const four = ['p', 'g', 'm', 'v'].map((k) => tensors[`${k}${i}`]);
      const [p] = four;
      if (!p || four.some((t) => t?.dtype !== 'float32' || `${t.shape}` !== `${p.shape}`))
        fail(`float32 inputs p${i}, g${i}, m${i}, v${i} of one shape`);
      return four as TensorInfo[];
    });
    const limit = gpu.limits.maxStorageBufferBindingSize;
    const sizes = params.map(([p], i) => {
      const bytes = (p as TensorInfo).shape.reduce((n, d) => n * d, 1) * 4;
      if (bytes > limit)
        fail(`a parameter within this device's maxStorageBufferBindingSize ${limit}, but p${i} is larger`);
      return bytes;
    });
    const rule = wgslAdam(a, a.step);
    gpu.write(scalars, Float32Array.from(rule.scalars));
    // Inputs first: a refused input (bool-stored) then throws before any output exists.
    const inputBuffers = params.map((four) => four.map((t) => gpu.bufferOf(t)));
    const outputs = params.map(([p]) => [0, 1, 2].map(() => gpu.output([...(p as TensorInfo).shape])));
    // Bound at the tensor's own size, so arrayLength is its element count whatever the buffer's size.
    const bindings = params.map((_, i) => ({
      bytes: sizes[i] as number,
      buffers: [...(inputBuffers[i] as GPUBuffer[]), ...(outputs[i] as TensorInfo[]).map((t) => gpu.bufferOf(t))],
    }));
    gpu.submit((encoder) => {
      const pass = encoder.beginComputePass();
      pass.setPipeline(pipeline);
      for (const { bytes, buffers } of bindings) {
        const blocks = Math.ceil(bytes / 4 / GROUP);
        if (blocks === 0) continue;
        // Made inside the submit's error scope, so a bad binding is reported as the engine reports errors.
        const group = device.createBindGroup({
          layout,
          entries: [
            { binding: 0, resource: { buffer: scalars } },
            ...buffers.map((buffer, b) => ({ binding: b + 1, resource: { buffer, size: bytes } })),
          ],
        });
        pass.setBindGroup(0, group);
        pass.dispatchWorkgroups(...dispatchGrid(blocks, nx));
      }
      pass.end();
    });
    return [0, 1, 2].flatMap((k) => outputs.map((o) => o[k] as TensorInfo));
  };
}

/** The WebGPU implementation as a plug-in: it needs the step engine (`KernelSetupContext.gpu`). */
export const WEBGPU_ADAM_UPDATE: KernelPlugin = webGpuPlugin(ADAM_UPDATE, webGpuAdamKernel);
