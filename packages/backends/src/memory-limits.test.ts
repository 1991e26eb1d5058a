import { totalmem } from 'node:os';
import { describe, expect, it } from 'vitest';
import { formatBinaryBytes } from '@learnability/core';
import { memoryLimits, WASM_HEAP_BYTES } from './memory-limits.js';

const GiB = 2 ** 30;
const machine = { bytes: totalmem(), says: expect.stringMatching(/^this machine has \d+(\.\d)? [KMGT]iB of memory$/) };

describe('memoryLimits', () => {
  it('wasm: its 4 GiB heap, or the machine when that is smaller', async () => {
    const limits = await memoryLimits({ name: 'wasm', requested: 'wasm', platform: 'node' });
    expect(limits).toEqual({
      total: totalmem() < WASM_HEAP_BYTES ? machine : { bytes: 4 * GiB, says: 'wasm holds at most 4 GiB' },
    });
  });

  it('wasm chosen by auto: the heap, and the backends that may hold the run as it is', async () => {
    const limits = await memoryLimits({ name: 'wasm', requested: 'auto', platform: 'node' });
    // A machine with less memory than the heap is the limit, whichever backend chose wasm.
    expect(limits.total?.says).toEqual(
      totalmem() < WASM_HEAP_BYTES
        ? machine.says
        : `wasm holds at most 4 GiB (auto chose wasm; "cpu" holds up to this machine's ${formatBinaryBytes(totalmem())}, and "webgpu" on a GPU up to its own memory)`,
    );
  });

  it('cpu: the machine in Node, nothing known in a browser', async () => {
    expect(await memoryLimits({ name: 'cpu', requested: 'cpu', platform: 'node' })).toEqual({ total: machine });
    expect(await memoryLimits({ name: 'cpu', requested: 'cpu', platform: 'browser' })).toEqual({});
  });

  it("webgpu: the adapter's smaller buffer limit per tensor, named after the limit it is", async () => {
    const adapter = { vendor: 'mesa', architecture: 'software', description: 'llvmpipe', isFallbackAdapter: true };
    const lavapipe = await memoryLimits({
      name: 'webgpu',
      requested: 'webgpu',
      platform: 'browser',
      adapter: { ...adapter, maxBufferSize: 2 ** 32 - 1, maxStorageBufferBindingSize: 128 * 2 ** 20 },
    });
    expect(lavapipe).toEqual({
      tensor: {
        bytes: 128 * 2 ** 20,
        says: 'the GPU adapter binds at most 128 MiB per tensor (maxStorageBufferBindingSize)',
      },
    });
    const onlyBuffer = await memoryLimits({
      name: 'webgpu',
      requested: 'webgpu',
      platform: 'node',
      adapter: { ...adapter, maxBufferSize: 256 * 2 ** 20 },
    });
    expect(onlyBuffer).toEqual({
      total: machine,
      tensor: { bytes: 256 * 2 ** 20, says: 'the GPU adapter holds at most 256 MiB per tensor (maxBufferSize)' },
    });
    expect(await memoryLimits({ name: 'webgpu', requested: 'webgpu', platform: 'browser', adapter })).toEqual({});
  });
});
