export { availableBackends, describeEachBackend, describeOnBackends } from './describe-each-backend.js';
export { setupTestBackend } from './setup-test-backend.js';
export { planBackends } from './backend-plan.js';
export type { BackendPlanEntry, BackendPlanEnv } from './backend-plan.js';
export { countGpuWork } from './count-gpu-work.js';
export type { GpuWorkCounts } from './count-gpu-work.js';
export { runInFreshProcess } from './fresh-process.js';
export { gradientGap, withoutKernels } from './without-kernels.js';
export { withDeviceLimits, withNarrowDispatch } from './device-limits.js';
