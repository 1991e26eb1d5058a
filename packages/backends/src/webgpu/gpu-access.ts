/**
 * Find a WebGPU implementation and its adapter: `navigator.gpu` in a browser, Dawn's Node
 * bindings (npm `webgpu`, an optional peer dependency) in Node.
 *
 * In Node, Dawn is first asked for an adapter in a child process (`probe-dawn.ts`), so its native
 * warnings never reach the user's terminal and a machine without a GPU never loads Dawn here.
 * Only a run that will use webgpu creates Dawn in this process.
 */
import type { GpuAdapterSummary } from '../types.js';
import { runtimePlatform } from '../runtime.js';
import type { DawnProbe } from './probe-dawn.js';

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
  limits?: { maxBufferSize?: number; maxStorageBufferBindingSize?: number };
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
    return {
      reason: `Dawn failed to start (${String(error)})`,
      fix: `check the webgpu package's native build, ${WASM_INSTEAD}`,
    };
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

/** The two buffer limits, bytes, when the implementation reports them. */
function limitsOf(adapter: AdapterLike): Pick<GpuAdapterSummary, 'maxBufferSize' | 'maxStorageBufferBindingSize'> {
  const maxBufferSize = Number(adapter.limits?.maxBufferSize);
  const maxBinding = Number(adapter.limits?.maxStorageBufferBindingSize);
  return {
    ...(maxBufferSize > 0 ? { maxBufferSize } : {}),
    ...(maxBinding > 0 ? { maxStorageBufferBindingSize: maxBinding } : {}),
  };
}

/** Adapter facts, with the flag read from `info` (current spec) or the adapter (older). */
export function summarizeAdapter(adapter: AdapterLike): GpuAdapterSummary {
  const info = adapter.info ?? {};
  return {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    description: info.description ?? '',
    isFallbackAdapter: info.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false,
    ...limitsOf(adapter),
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

let dawnProbe: Promise<DawnProbe> | undefined;

/** Dawn's answer from a child process (asked once per process), as a problem with its fix or an adapter. */
async function probeDawnOnce(dawnOptions: readonly string[]): Promise<{ adapter: GpuAdapterSummary } | GpuProblem> {
  dawnProbe ??= import('./probe-dawn.js').then((m) => m.probeDawn(dawnOptions));
  const probe = await dawnProbe;
  if (probe.ok) return { adapter: probe.adapter };
  const noneFix = noAdapter(true).fix;
  switch (probe.stage) {
    case 'import':
      return {
        reason: `the optional peer dependency "webgpu" (Dawn for Node) cannot be loaded (${probe.detail})`,
        fix: `npm install webgpu, ${WASM_INSTEAD}`,
      };
    case 'create':
      return {
        reason: `Dawn failed to start (${probe.detail})`,
        fix: `check the webgpu package's native build, ${WASM_INSTEAD}`,
      };
    case 'request':
      return { reason: `requestAdapter() failed (${probe.detail})`, fix: noneFix };
    case 'adapter':
      return noAdapter(true);
    case 'crash':
      return { reason: `Dawn failed while looking for an adapter: ${probe.detail}`, fix: noneFix };
  }
}

/** True when WebGPU here means Dawn in Node (no `navigator.gpu` already present). */
function usesDawn(): boolean {
  return existingNavigatorGpu() === undefined && runtimePlatform() === 'node';
}

/**
 * The adapter webgpu would run on, or why there is none, without creating Dawn in this process:
 * in Node the question goes to a child process (see `probe-dawn.ts`); elsewhere to `navigator.gpu`.
 */
export async function adapterStatus(
  dawnOptions: readonly string[],
): Promise<{ adapter: GpuAdapterSummary } | GpuProblem> {
  if (usesDawn()) return probeDawnOnce(dawnOptions);
  const probe = await probeAdapter(dawnOptions);
  return isGpuProblem(probe) ? probe : { adapter: probe.adapter };
}

/**
 * The adapter tfjs-backend-webgpu will pick (it asks for `high-performance` unless its flag
 * WEBGPU_USE_LOW_POWER_GPU is set), or why there is none. In Node the child-process probe goes
 * first, so a machine without a usable adapter never loads Dawn into this process.
 */
export async function probeAdapter(
  dawnOptions: readonly string[],
): Promise<{ access: GpuAccess; adapter: GpuAdapterSummary } | GpuProblem> {
  if (usesDawn()) {
    const status = await probeDawnOnce(dawnOptions);
    if (isGpuProblem(status)) return status;
  }
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
