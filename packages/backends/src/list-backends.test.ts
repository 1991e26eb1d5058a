import { describe, expect, it } from 'vitest';
import { listBackends } from './list-backends.js';

describe('listBackends', () => {
  it('reports cpu, wasm and webgpu in order; cpu and wasm are available in Node', async () => {
    const statuses = await listBackends();
    expect(statuses.map((s) => s.name)).toEqual(['cpu', 'wasm', 'webgpu']);
    expect(statuses[0]).toEqual({ name: 'cpu', available: true });
    expect(statuses[1]).toEqual({ name: 'wasm', available: true });
  });

  it('gives webgpu either an adapter or a reason with a fix', async () => {
    const webgpu = (await listBackends())[2];
    if (webgpu?.available === true) {
      expect(webgpu.adapter).toMatchObject({
        vendor: expect.any(String),
        architecture: expect.any(String),
        description: expect.any(String),
        isFallbackAdapter: expect.any(Boolean),
        maxBufferSize: expect.any(Number),
      });
    } else {
      expect(webgpu?.reason).toMatch(/; .*--backend wasm/);
    }
  });
});
