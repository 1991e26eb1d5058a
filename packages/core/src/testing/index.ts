export { describeModelContract } from './model-contract.js';
export type { ModelContractCase } from './model-contract.js';
export { describeTrainerContract } from './trainer-contract.js';
export type { TrainerContractCase } from './trainer-contract.js';
export { describeTaskContract } from './task-contract.js';
export { closeness, expectClose, values } from './tensor-close.js';
