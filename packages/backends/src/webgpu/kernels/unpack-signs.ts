/**
 * `UNPACK_SIGNS` (@learnability/core) on webgpu: x (R, …rowShape) float32 from R rows of packed
 * sign bits, one thread a value. Why: a batch of 1,024 replicas × 32 × 50 signs is 6.5 MB of
 * floats to make on the host and upload every step, and 200 KB as bits.
 */
/// <reference types="@webgpu/types" preserve="true" />
import { UNPACK_SIGNS, webGpuPlugin } from '@learnability/core';
import type { GpuStepEngine, KernelPlugin, UnpackSignsAttrs } from '@learnability/core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { recordDispatch } from './one-dispatch.js';

const WORKGROUP = 256;

function unpackWgsl(rowValues: number, wordsPerRow: number, total: number, nx: number): string {
  return `
@group(0) @binding(0) var<storage, read> words: array<u32>;
@group(0) @binding(1) var<storage, read_write> x: array<f32>;

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) tid: u32) {
  let i = (wg.x + wg.y * ${nx}u) * ${WORKGROUP}u + tid;
  if (i >= ${total}u) { return; }
  let j = i % ${rowValues}u;
  let w = words[(i / ${rowValues}u) * ${wordsPerRow}u + (j >> 5u)];
  x[i] = select(-1.0, 1.0, ((w >> (j & 31u)) & 1u) == 1u);
}
`;
}

function unpackKernel(gpu: GpuStepEngine): KernelFunc {
  const owner = {};
  const layout = gpu.storageLayout(2, 1);
  return ({ inputs, attrs }) => {
    const { words } = inputs as { words: TensorInfo };
    const { shape, wordsPerRow } = attrs as UnpackSignsAttrs;
    const rows = shape[0] as number;
    const rowValues = shape.slice(1).reduce((a, b) => a * b, 1);
    const need = rows * wordsPerRow;
    const have = words.shape.reduce((a, b) => a * b, 1);
    if (words.dtype !== 'int32' || have !== need || wordsPerRow < Math.ceil(rowValues / 32)) {
      throw new Error(
        `${UNPACK_SIGNS}: needs ${need} int32 words (${rows} rows × ${wordsPerRow}) for shape [${shape.join(', ')}], but got ${have} ${words.dtype}`,
      );
    }
    const x = gpu.output([...shape]);
    const total = rows * rowValues;
    if (total === 0) return x;
    const groups = Math.ceil(total / WORKGROUP);
    const nx = Math.min(groups, gpu.limits.maxComputeWorkgroupsPerDimension);
    const pipeline = gpu.pipeline(
      `${UNPACK_SIGNS}:${rowValues}:${wordsPerRow}:${total}:${nx}`,
      unpackWgsl(rowValues, wordsPerRow, total, nx),
      'main',
      layout,
    );
    // Words still on the host go up with writeBuffer into our own buffer: TF.js's upload would
    // make and map a staging buffer every call, which costs more than the batch on a real GPU.
    const host = gpu.hostValues(words);
    const source = host ? gpu.buffer(owner, 'words', need * 4) : gpu.bufferOf(words);
    if (host) gpu.write(source, host);
    const group = gpu.device.createBindGroup({
      layout,
      entries: [
        { binding: 0, resource: { buffer: source, size: need * 4 } },
        { binding: 1, resource: { buffer: gpu.bufferOf(x) } },
      ],
    });
    gpu.submit((encoder) => recordDispatch(encoder, pipeline, group, [nx, Math.ceil(groups / nx)]));
    return x;
  };
}

/** The plug-in: registered for webgpu by `setupBackend`. */
export const WEBGPU_UNPACK_SIGNS: KernelPlugin = webGpuPlugin(UNPACK_SIGNS, unpackKernel);
