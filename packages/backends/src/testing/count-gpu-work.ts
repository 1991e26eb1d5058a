/**
 * Counts the GPU work the webgpu backend records, for structure tests ("one submit per step",
 * "at most N dispatches", "nothing read back"): it wraps the device's queue.submit, its command
 * encoders' compute passes and GPUBuffer.mapAsync until `stop()`.
 */
/// <reference types="@webgpu/types" preserve="true" />
import * as tf from '@tensorflow/tfjs-core';
import { webGpuInternals } from '../webgpu/engine/tfjs-webgpu-internals.js';

export interface GpuWorkCounts {
  /** queue.submit calls. */
  submits: number;
  /** Compute passes begun. */
  passes: number;
  /** dispatchWorkgroups calls. */
  dispatches: number;
  /** mapAsync calls for reading (GPUMapMode.READ). */
  readMaps: number;
}

/** Starts counting on the active webgpu backend's device. */
export function countGpuWork(): { counts: GpuWorkCounts; stop(): void } {
  const device = webGpuInternals(tf.backend()).device;
  const counts: GpuWorkCounts = { submits: 0, passes: 0, dispatches: 0, readMaps: 0 };
  const queue = device.queue;
  const submit = queue.submit.bind(queue);
  const createCommandEncoder = device.createCommandEncoder.bind(device);
  const mapAsync = GPUBuffer.prototype.mapAsync;
  queue.submit = (buffers) => {
    counts.submits++;
    submit(buffers);
  };
  device.createCommandEncoder = (descriptor) => {
    const encoder = createCommandEncoder(descriptor);
    const beginComputePass = encoder.beginComputePass.bind(encoder);
    encoder.beginComputePass = (passDescriptor) => {
      counts.passes++;
      const pass = beginComputePass(passDescriptor);
      const dispatch = pass.dispatchWorkgroups.bind(pass);
      pass.dispatchWorkgroups = (x, y, z) => {
        counts.dispatches++;
        dispatch(x, y, z);
      };
      return pass;
    };
    return encoder;
  };
  GPUBuffer.prototype.mapAsync = function (this: GPUBuffer, mode, offset, size) {
    if ((mode & GPUMapMode.READ) !== 0) counts.readMaps++;
    return mapAsync.call(this, mode, offset, size);
  };
  return {
    counts,
    stop() {
      Reflect.deleteProperty(queue, 'submit');
      Reflect.deleteProperty(device, 'createCommandEncoder');
      GPUBuffer.prototype.mapAsync = mapAsync;
    },
  };
}
