/**
 * Find a WebGPU implementation and its adapter: `navigator.gpu` in a browser, Dawn's Node
 * bindings (npm `webgpu`, an optional peer dependency) in Node.
 */
import type { GpuAdapterSummary } from '../types.js';
import { runtimePlatform } from '../runtime.js';

/** The fields of `GPUAdapterInfo` read here (older implementations put the flag on the adapter). */
interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

/** The part of `GPUAdapter` read here. */
interface AdapterLike {
  info?: AdapterInfoLike;
  isFallbackAdapter?: boolean;
}

/** The part of `GPU` (navigator.gpu) used here. */
export interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'low-power' | 'high-performance' }): Promise<AdapterLike | null>;
}

/** Why there is no WebGPU here, and what to do about it. */
export interface GpuProblem {
  reason: string;
  fix: string;
}

/** A WebGPU implementation; `globals` (GPUBufferUsage, …) must be global before tfjs-backend-webgpu loads. */
export interface GpuAccess {
  gpu: GpuLike;
  globals: object;
  /** True when `gpu` came from Dawn (created here), false when it was already `navigator.gpu`. */
  fromDawn: boolean;
}

const WASM_INSTEAD = 'or use --backend wasm';

function isGpuLike(value: unknown): value is GpuLike {
  return typeof value === 'object' && value !== null && typeof Reflect.get(value, 'requestAdapter') === 'function';
}

function existingNavigatorGpu(): GpuLike | undefined {
  const nav: unknown = Reflect.get(globalThis, 'navigator');
  if (typeof nav !== 'object' || nav === null) return undefined;
  const gpu: unknown = Reflect.get(nav, 'gpu');
  return isGpuLike(gpu) ? gpu : undefined;
}

let dawn: Promise<GpuAccess | GpuProblem> | undefined;

async function createDawn(options: readonly string[]): Promise<GpuAccess | GpuProblem> {
  let webgpu: typeof import('webgpu');
  try {
    webgpu = await import('webgpu');
  } catch (error) {
    return {
      reason: `the optional peer dependency "webgpu" (Dawn for Node) cannot be loaded (${String(error)})`,
      fix: `npm install webgpu, ${WASM_INSTEAD}`,
    };
  }
  // Mesa's Vulkan drivers warn on stderr without it.
  process.env['XDG_RUNTIME_DIR'] ??= (await import('node:os')).tmpdir();
  try {
    return { gpu: webgpu.create([...options]), globals: webgpu.globals, fromDawn: true };
  } catch (error) {
    return { reason: `Dawn failed to start (${String(error)})`, fix: `check the webgpu package's native build, ${WASM_INSTEAD}` };
  }
}

/** The WebGPU implementation for this process (Dawn is created once, with the first call's options). */
export function gpuAccess(dawnOptions: readonly string[]): Promise<GpuAccess | GpuProblem> {
  const existing = existingNavigatorGpu();
  if (existing !== undefined) return Promise.resolve({ gpu: existing, globals: {}, fromDawn: false });
  if (runtimePlatform() === 'browser') {
    return Promise.resolve({
      reason: 'navigator.gpu is missing (no WebGPU in this browser, or not a secure context)',
      fix: `use a browser with WebGPU enabled, ${WASM_INSTEAD}`,
    });
  }
  dawn ??= createDawn(dawnOptions);
  return dawn;
}

/** Tells a problem from a result. */
export function isGpuProblem<T extends object>(value: T | GpuProblem): value is GpuProblem {
  return 'reason' in value && 'fix' in value;
}

/** Adapter facts, with the flag read from `info` (current spec) or the adapter (older). */
export function summarizeAdapter(adapter: AdapterLike): GpuAdapterSummary {
  const info = adapter.info ?? {};
  return {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    description: info.description ?? '',
    isFallbackAdapter: info.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false,
  };
}

/** No adapter: the words and the fix depend on where we run. */
function noAdapter(fromDawn: boolean): GpuProblem {
  return fromDawn
    ? {
        reason: 'no GPU adapter (Dawn found none)',
        fix: `install a Vulkan driver (Debian: mesa-vulkan-drivers from bookworm-backports) ${WASM_INSTEAD}`,
      }
    : {
        reason: 'no GPU adapter (navigator.gpu.requestAdapter() returned null)',
        fix: `enable hardware acceleration / WebGPU in the browser, ${WASM_INSTEAD}`,
      };
}

/**
 * The adapter tfjs-backend-webgpu will pick (it asks for `high-performance` unless its flag
 * WEBGPU_USE_LOW_POWER_GPU is set), or why there is none.
 */
export async function probeAdapter(
  dawnOptions: readonly string[],
): Promise<{ access: GpuAccess; adapter: GpuAdapterSummary } | GpuProblem> {
  const access = await gpuAccess(dawnOptions);
  if (isGpuProblem(access)) return access;
  let adapter: AdapterLike | null;
  try {
    adapter = await access.gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (error) {
    return { reason: `requestAdapter() failed (${String(error)})`, fix: noAdapter(access.fromDawn).fix };
  }
  return adapter === null ? noAdapter(access.fromDawn) : { access, adapter: summarizeAdapter(adapter) };
}
