import { describe, expect, it } from 'vitest';
import type { BackendStatus } from '@learnability/backends';
import { chooseBackend, pageWasmThreads } from './backend-choice.js';

const gpu = (isFallbackAdapter: boolean): BackendStatus => ({
  name: 'webgpu',
  available: true,
  adapter: isFallbackAdapter
    ? { vendor: 'google', architecture: 'swiftshader', description: '', isFallbackAdapter }
    : { vendor: 'nvidia', architecture: 'hopper', description: '', isFallbackAdapter },
});
const noGpu: BackendStatus = {
  name: 'webgpu',
  available: false,
  reason:
    'no GPU adapter (navigator.gpu.requestAdapter() returned null); enable hardware acceleration / WebGPU in the browser, or use --backend wasm',
};

describe("chooseBackend (the CLI's auto rule)", () => {
  it('picks webgpu on a hardware adapter and says so', () => {
    expect(chooseBackend(null, gpu(false), true)).toEqual({
      backend: 'webgpu',
      reason: 'webgpu: hardware adapter nvidia hopper',
      notices: [],
    });
  });

  it('picks wasm when the only adapter is a software one (SwiftShader), saying why', () => {
    expect(chooseBackend(null, gpu(true), true)).toEqual({
      backend: 'wasm',
      reason: "wasm: WebGPU's only adapter here is a software one (google swiftshader), slower than wasm",
      notices: [],
    });
  });

  it('falls back to wasm with the reason in browser words, and says when wasm gets one thread', () => {
    expect(chooseBackend(null, noGpu, false)).toEqual({
      backend: 'wasm',
      reason:
        'wasm: WebGPU is unavailable (no GPU adapter (navigator.gpu.requestAdapter() returned null); enable hardware acceleration / WebGPU in the browser, or switch Backend to wasm)',
      notices: [
        'wasm runs on 1 thread: this page is not cross-origin isolated (its server sends no COOP/COEP headers)',
      ],
    });
  });

  it('keeps the backend a link asks for, warning when it cannot run or runs in software', () => {
    expect(chooseBackend('cpu', gpu(false), true)).toEqual({
      backend: 'cpu',
      reason: 'cpu: asked for by the link',
      notices: [],
    });
    expect(chooseBackend('webgpu', noGpu, true).notices).toEqual([
      'WebGPU is unavailable here: no GPU adapter (navigator.gpu.requestAdapter() returned null); enable hardware acceleration / WebGPU in the browser, or switch Backend to wasm',
    ]);
    expect(chooseBackend('webgpu', gpu(true), true).notices).toEqual([
      'WebGPU runs on a software adapter here (google swiftshader), usually slower than wasm; switch Backend to wasm',
    ]);
  });
});

describe('pageWasmThreads', () => {
  it("is the page's cores up to tfjs-wasm's pool of 8 when cross-origin isolated, else 1", () => {
    expect([pageWasmThreads(true, 4), pageWasmThreads(true, 16), pageWasmThreads(true, undefined)]).toEqual([4, 8, 1]);
    expect(pageWasmThreads(false, 16)).toBe(1);
  });
});
