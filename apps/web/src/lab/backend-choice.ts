/**
 * The lab's backend choice, the rule of `setupBackend('auto')` (the CLI's `--backend auto` times
 * both for its run instead): WebGPU only on a hardware adapter, else wasm: a software adapter
 * (SwiftShader, lavapipe) trains slower than wasm (issue #19: the sparse-parity preset at 1.2
 * steps/s on SwiftShader). The page says in one line what it picked and why.
 */
import { WASM_MAX_THREADS } from '@learnability/backends';
import type { BackendStatus, GpuAdapterSummary } from '@learnability/backends';
import { browserWording } from './browser-wording.js';
import type { LabBackend } from './url-state.js';

/** The backend to preselect, why (one line), and notices to show beside the picker. */
export interface BackendChoice {
  backend: LabBackend;
  /** Why this backend, in one line: shown under the picker. */
  reason: string;
  /** Problems with the choice (a backend a link asks for that cannot run, wasm on one thread). */
  notices: string[];
}

const adapterName = (a: GpuAdapterSummary): string => [a.vendor, a.architecture].filter(Boolean).join(' ') || 'unnamed';

/**
 * `asked`: the URL's backend (null when it names none); `webgpu`: listBackends()'s webgpu entry;
 * `isolated`: `crossOriginIsolated` (wasm threads need it).
 */
export function chooseBackend(asked: LabBackend | null, webgpu: BackendStatus, isolated: boolean): BackendChoice {
  const notices: string[] = [];
  let backend: LabBackend;
  let reason: string;
  const adapter = webgpu.available ? webgpu.adapter : undefined;
  if (asked !== null) {
    backend = asked;
    reason = `${asked}: asked for by the link`;
    if (asked === 'webgpu' && !webgpu.available)
      notices.push(`WebGPU is unavailable here: ${browserWording(webgpu.reason ?? 'no adapter')}`);
    if (asked === 'webgpu' && adapter?.isFallbackAdapter) {
      notices.push(
        `WebGPU runs on a software adapter here (${adapterName(adapter)}), usually slower than wasm; switch Backend to wasm`,
      );
    }
  } else if (adapter && !adapter.isFallbackAdapter) {
    backend = 'webgpu';
    reason = `webgpu: hardware adapter ${adapterName(adapter)}`;
  } else if (adapter) {
    backend = 'wasm';
    reason = `wasm: WebGPU's only adapter here is a software one (${adapterName(adapter)}), slower than wasm`;
  } else {
    backend = 'wasm';
    reason = `wasm: WebGPU is unavailable (${browserWording(webgpu.reason ?? 'no adapter')})`;
  }
  if (backend === 'wasm' && !isolated) {
    notices.push(
      'wasm runs on 1 thread: this page is not cross-origin isolated (its server sends no COOP/COEP headers)',
    );
  }
  return { backend, reason, notices };
}

/**
 * wasm threads for this page: its cores, at most tfjs-wasm's pool of 8, when it is cross-origin
 * isolated (threads need SharedArrayBuffer); else 1.
 */
export function pageWasmThreads(isolated: boolean, cores: number | undefined): number {
  return isolated ? Math.min(WASM_MAX_THREADS, Math.max(1, cores || 1)) : 1;
}
