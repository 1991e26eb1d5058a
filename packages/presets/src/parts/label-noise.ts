import type { FieldSpec } from '../schema.js';

/** `noise` of the tasks with ±1 labels (sparse parity, the Boolean targets): one field, one default. */
export const LABEL_NOISE_FIELD: FieldSpec = {
  type: 'number',
  default: 0,
  min: 0,
  max: 0.5,
  doc: 'label-flip probability η of training labels (test labels are clean)',
};
