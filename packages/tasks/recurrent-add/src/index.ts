export { ADD_TERMS, addTargets, createRecurrentAddTask, RECURRENT_ADD_DEFAULTS } from './add-task.js';
export type { RecurrentAddConfig } from './add-task.js';
