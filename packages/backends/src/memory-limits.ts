/**
 * What the backend a run was set up on can hold: wasm's 4 GiB heap (32-bit addresses), a GPU
 * adapter's largest buffer, and in Node the machine's memory. The config checks of
 * `@learnability/presets` compare a run's estimate with these before anything is allocated.
 */
import { formatBinaryBytes } from '@learnability/core';
import type { MemoryLimit, MemoryLimits } from '@learnability/core';
import type { BackendInfo, GpuAdapterSummary } from './types.js';

/** wasm32's address space: the most memory the wasm backend's heap can grow to. */
export const WASM_HEAP_BYTES = 4 * 2 ** 30;

/** The machine's memory in Node; undefined in a browser (it does not say). */
async function machineMemory(info: BackendInfo): Promise<MemoryLimit | undefined> {
  if (info.platform !== 'node') return undefined;
  const { totalmem } = await import('node:os');
  const bytes = totalmem();
  return { bytes, says: `this machine has ${formatBinaryBytes(bytes)} of memory` };
}

/** The largest tensor the adapter can hold and bind (tfjs asks for the adapter's own limits), if it says. */
function adapterTensorLimit(adapter: GpuAdapterSummary | undefined): MemoryLimit | undefined {
  const buffer = adapter?.maxBufferSize;
  const binding = adapter?.maxStorageBufferBindingSize;
  if (binding !== undefined && (buffer === undefined || binding < buffer)) {
    return {
      bytes: binding,
      says: `the GPU adapter binds at most ${formatBinaryBytes(binding)} per tensor (maxStorageBufferBindingSize)`,
    };
  }
  if (buffer !== undefined)
    return {
      bytes: buffer,
      says: `the GPU adapter holds at most ${formatBinaryBytes(buffer)} per tensor (maxBufferSize)`,
    };
  return undefined;
}

/**
 * The limits of the backend `info` describes (what `setupBackend` returned). wasm: its heap or
 * the machine, whichever is smaller; cpu: the machine; webgpu: the adapter's largest tensor, and
 * the machine's memory as the bound on everything (WebGPU does not report the GPU's memory).
 */
export async function memoryLimits(info: BackendInfo): Promise<MemoryLimits> {
  const machine = await machineMemory(info);
  switch (info.name) {
    case 'wasm': {
      // Chosen by auto (no GPU here, or none faster): the run may fit on another backend as it is,
      // within that backend's own bound (a run of a terabyte fits on none).
      const heap = `wasm holds at most ${formatBinaryBytes(WASM_HEAP_BYTES)}`;
      const cpu = machine ? `"cpu" holds up to this machine's ${formatBinaryBytes(machine.bytes)}` : '"cpu" holds more';
      const says =
        info.requested === 'auto'
          ? `${heap} (auto chose wasm; ${cpu}, and "webgpu" on a GPU up to its own memory)`
          : heap;
      return { total: machine && machine.bytes < WASM_HEAP_BYTES ? machine : { bytes: WASM_HEAP_BYTES, says } };
    }
    case 'cpu':
      return machine ? { total: machine } : {};
    case 'webgpu': {
      const tensor = adapterTensorLimit(info.adapter);
      return { ...(machine ? { total: machine } : {}), ...(tensor ? { tensor } : {}) };
    }
  }
}
