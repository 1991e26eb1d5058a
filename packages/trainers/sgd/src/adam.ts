import { defineSchema, resolveOptions } from '@learnability/core';
import type { OptionsOf, Trainer } from '@learnability/core';
import { adamFusedUpdate } from './adam-update.js';
import { createGradientTrainer, gradientOf } from './gradient-trainer.js';
import { lossField, targetsOf } from './losses.js';
import { chain, scale, scaleByAdam } from './transforms.js';

/** Adam's options (Kingma & Ba 2015); `weightDecay` is decoupled (AdamW, Loshchilov & Hutter 2019): θ ← θ − η·λθ. */
export const ADAM_SCHEMA = defineSchema({
  lr: {
    type: 'number',
    default: 1e-3,
    min: 0,
    exclusiveMin: true,
    doc: 'learning rate',
    why: 'Kingma & Ba 2015',
  },
  beta1: { type: 'number', default: 0.9, min: 0, max: 0.9999, doc: 'first-moment decay' },
  beta2: { type: 'number', default: 0.999, min: 0, max: 0.99999, doc: 'second-moment decay' },
  epsilon: { type: 'number', default: 1e-8, min: 0, exclusiveMin: true, doc: 'added to √v̂' },
  weightDecay: { type: 'number', default: 0, min: 0, doc: 'decoupled weight decay' },
  loss: lossField('mse'),
});

export type AdamOptions = OptionsOf<typeof ADAM_SCHEMA.fields>;

/** Adam's config: options not given take their defaults. */
export type AdamConfig = Partial<AdamOptions>;

/** Adam with bias correction (AdamW when weightDecay > 0). */
export function createAdam(config: AdamConfig = {}): Trainer {
  const c = resolveOptions('adam', ADAM_SCHEMA, config);
  return createGradientTrainer({
    name: 'adam',
    source: gradientOf(c.loss),
    transform: chain(scaleByAdam(c.beta1, c.beta2, c.epsilon), scale(-c.lr)),
    decoupledDecay: c.lr * c.weightDecay,
    fusedUpdate: adamFusedUpdate(c),
    describe: () => ({ name: 'adam', ...c }),
    ...targetsOf(c.loss),
  });
}
