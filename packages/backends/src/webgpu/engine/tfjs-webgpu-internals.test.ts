import { describe, expect, it } from 'vitest';
import { webGpuInternals } from './tfjs-webgpu-internals.js';

describe('tfjs-webgpu internals', () => {
  it('a backend without the fields the engine uses fails with the fix, not later inside a step', () => {
    expect(() => webGpuInternals({})).toThrow(
      /needs tfjs-backend-webgpu 4\.22\.0's WebGPUBackend\.uploadToGPU\(\).*pin @tensorflow\/tfjs-backend-webgpu to 4\.22\.0/,
    );
    const almost = {
      uploadToGPU() {},
      makeTensorInfo() {},
      endComputePassEncoder() {},
      submitQueue() {},
      async read() {},
      device: {},
      commandEncoder: null,
    };
    expect(() => webGpuInternals(almost)).toThrow(/WebGPUBackend\.tensorMap/);
  });
});
