export { createMnistTask, MNIST_DEFAULTS } from './mnist-task.js';
export type { MnistConfig, MnistTask } from './mnist-task.js';
export { loadMnistDigits, MNIST_PIXELS } from './mnist-data.js';
export type { MnistData } from './mnist-data.js';
