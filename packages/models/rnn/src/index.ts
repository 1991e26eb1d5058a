export { createRnn, RNN_PARAMS } from './rnn.js';
export type { RnnModel } from './rnn.js';
export { RNN_DEFAULTS } from './rnn-config.js';
export type { ResolvedRnnConfig, RnnBiasInit, RnnConfig } from './rnn-config.js';
