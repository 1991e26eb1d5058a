export { setupBackend } from './setup-backend.js';
export type { SetupBackendOptions } from './setup-options.js';
export { listBackends } from './list-backends.js';
export type { ListBackendsOptions } from './list-backends.js';
export { memoryLimits, WASM_HEAP_BYTES } from './memory-limits.js';
export { WASM_MAX_THREADS } from './setup-options.js';
export { tiledMatMul, TILED_MATMUL } from './webgpu/kernels/tiled-matmul.js';
export { loadGradients } from './gradients/load-gradients.js';
export { batchMatMulGradConfig } from './gradients/batch-mat-mul-grad.js';
export { BACKEND_NAMES, BACKEND_REQUESTS, isBackendRequest } from './types.js';
export type {
  BackendInfo,
  BackendName,
  BackendRequest,
  BackendStatus,
  GpuAdapterSummary,
  KernelStatus,
  RuntimePlatform,
} from './types.js';
export { benchBackend } from './bench/bench-backend.js';
export type { BackendBench, BenchOptions, TimingStats } from './bench/bench-backend.js';
