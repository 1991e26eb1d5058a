/**
 * The lab's backend choice: WebGPU by default when an adapter exists, else wasm, with a notice
 * saying why; and a notice when wasm must run on one thread.
 */
import type { BackendStatus } from '@learnability/backends';
import type { LabBackend } from './url-state.js';

/** The backend to preselect and the notices to show beside the picker. */
export interface BackendChoice {
  backend: LabBackend;
  notices: string[];
}

/**
 * `asked`: the URL's backend (null when it names none); `webgpu`: listBackends()'s webgpu entry;
 * `isolated`: `crossOriginIsolated` (wasm threads need it).
 */
export function chooseBackend(asked: LabBackend | null, webgpu: BackendStatus, isolated: boolean): BackendChoice {
  const notices: string[] = [];
  let backend: LabBackend;
  if (asked !== null) {
    backend = asked;
    if (asked === 'webgpu' && !webgpu.available) notices.push(`WebGPU is unavailable here: ${webgpu.reason ?? 'no adapter'}`);
  } else if (webgpu.available) {
    backend = 'webgpu';
  } else {
    backend = 'wasm';
    notices.push(`WebGPU is unavailable, so the lab uses wasm: ${webgpu.reason ?? 'no adapter'}`);
  }
  if (backend === 'webgpu' && webgpu.adapter?.isFallbackAdapter) {
    const a = webgpu.adapter;
    notices.push(`WebGPU runs on a software adapter (${[a.vendor, a.architecture].filter(Boolean).join(' ') || 'unnamed'}); wasm may be faster on this machine`);
  }
  if (backend === 'wasm' && !isolated) {
    notices.push('wasm runs on 1 thread: this page is not cross-origin isolated (its server sends no COOP/COEP headers)');
  }
  return { backend, notices };
}
