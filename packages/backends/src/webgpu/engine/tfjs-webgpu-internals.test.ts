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

  it('checkEachRead runs the check before the read, and a failed check rejects the read without reading', async () => {
    const reads: object[] = [];
    const backend = {
      uploadToGPU() {},
      makeTensorInfo() {},
      endComputePassEncoder() {},
      submitQueue() {},
      async read(dataId: object) {
        reads.push(dataId);
        return new Float32Array([1]);
      },
      device: {},
      commandEncoder: null,
      tensorMap: new Map(),
    };
    let failure: string | null = 'planted';
    webGpuInternals(backend).checkEachRead(async () => {
      const message = failure;
      failure = null;
      if (message !== null) throw new Error(message);
    });
    const id = {};
    await expect(backend.read(id)).rejects.toThrow('planted');
    expect(reads).toEqual([]);
    expect(Array.from((await backend.read(id)) as Float32Array)).toEqual([1]);
    expect(reads).toEqual([id]);
  });
});
