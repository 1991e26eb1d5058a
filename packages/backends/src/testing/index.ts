export { availableBackends, describeEachBackend } from './describe-each-backend.js';
export { planBackends } from './backend-plan.js';
export type { BackendPlanEntry, BackendPlanEnv } from './backend-plan.js';
