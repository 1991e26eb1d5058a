export { ADD_TERMS, addTargets, createRecurrentAddTask, RECURRENT_ADD_SCHEMA } from './add-task.js';
export type { RecurrentAddConfig, RecurrentAddOptions, RecurrentAddTask } from './add-task.js';
