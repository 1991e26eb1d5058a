export { createRnn, RNN_PARAMS } from './rnn.js';
export type { RnnModel } from './rnn.js';
export { RNN_SCHEMA } from './rnn-config.js';
export type { ResolvedRnnConfig, RnnBiasInit, RnnConfig, RnnOptions } from './rnn-config.js';
export { RNN_KERNELS } from './fused/index.js';
