export { describeModelContract } from './model-contract.js';
export type { ModelContractCase } from './model-contract.js';
export { describeTrainerContract } from './trainer-contract.js';
export type { TrainerContractCase, TrainerContractOptions } from './trainer-contract.js';
export { describeTaskContract } from './task-contract.js';
export { signTeacherBatch } from './toy-tasks.js';
export type { SignTeacherOptions } from './toy-tasks.js';
export { closeness, expectClose, values } from './tensor-close.js';
export { lossGradients } from './loss-gradients.js';
