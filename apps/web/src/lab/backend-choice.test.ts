import { describe, expect, it } from 'vitest';
import type { BackendStatus } from '@learnability/backends';
import { chooseBackend } from './backend-choice.js';

const gpu = (isFallbackAdapter: boolean): BackendStatus => ({
  name: 'webgpu',
  available: true,
  adapter: { vendor: 'google', architecture: 'swiftshader', description: '', isFallbackAdapter },
});
const noGpu: BackendStatus = { name: 'webgpu', available: false, reason: 'no GPU adapter (navigator.gpu.requestAdapter() returned null); enable WebGPU' };

describe('chooseBackend', () => {
  it('picks webgpu when an adapter exists, silently on real hardware', () => {
    expect(chooseBackend(null, gpu(false), true)).toEqual({ backend: 'webgpu', notices: [] });
  });

  it('says when the adapter is a software one', () => {
    expect(chooseBackend(null, gpu(true), true).notices).toEqual(['WebGPU runs on a software adapter (google swiftshader); wasm may be faster on this machine']);
  });

  it('falls back to wasm with the reason, and says when wasm gets one thread', () => {
    expect(chooseBackend(null, noGpu, false)).toEqual({
      backend: 'wasm',
      notices: [
        `WebGPU is unavailable, so the lab uses wasm: ${noGpu.reason}`,
        'wasm runs on 1 thread: this page is not cross-origin isolated (its server sends no COOP/COEP headers)',
      ],
    });
  });

  it('keeps the backend a link asks for, warning when it cannot run', () => {
    expect(chooseBackend('cpu', gpu(false), true)).toEqual({ backend: 'cpu', notices: [] });
    expect(chooseBackend('webgpu', noGpu, true)).toEqual({ backend: 'webgpu', notices: [`WebGPU is unavailable here: ${noGpu.reason}`] });
  });
});
