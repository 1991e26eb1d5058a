import { defineSchema, resolveOptions } from '@learnability/core';
import type { FusedSgdStep, OptionsOf, SgdRule, Trainer } from '@learnability/core';
import { createGradientTrainer, gradientOf } from './gradient-trainer.js';
import type { FusedTrainerStep } from './gradient-trainer.js';
import { checkBatch, lossField, targetsOf } from './losses.js';
import { addDecayedWeights, chain, scale, trace } from './transforms.js';

/**
 * SGD's options. `momentum` is the heavy-ball μ in PyTorch's form (b ← μb + g, θ ← θ − ηb);
 * `weightDecay` is L2 λ added to the gradient as λθ (PyTorch's coupled form).
 */
export const SGD_SCHEMA = defineSchema({
  lr: {
    type: 'number',
    default: 0.1,
    min: 0,
    exclusiveMin: true,
    doc: 'learning rate',
    why: 'Barak et al. 2022',
  },
  momentum: { type: 'number', default: 0, min: 0, max: 0.999, doc: 'heavy-ball momentum', why: 'plain SGD' },
  weightDecay: { type: 'number', default: 0, min: 0, doc: 'L2 weight decay added to the gradient' },
  loss: lossField('hinge'),
});

export type SgdOptions = OptionsOf<typeof SGD_SCHEMA.fields>;

/** SGD's config: options not given take their defaults. */
export type SgdConfig = Partial<SgdOptions>;

/** The model's own fused step for the plain-SGD `rule` (`Model.fusedSgdStep`), where the model has one. */
const modelSgdStep = (rule: SgdRule): FusedTrainerStep => ({
  unsupported: (m) => (m.fusedSgdStep ? m.fusedSgdStep.unsupported(rule) : `model "${m.name}" has no fused step`),
  // One kernel for forward, loss, backward and update (the model's; same results to float tolerance).
  step: (m, state, batch) => {
    // As the generic step says it: the kernel's own shape check names no fix.
    checkBatch(rule.loss, m, batch);
    return { ...(m.fusedSgdStep as FusedSgdStep).step(state.params, batch, rule), slots: {} };
  },
});

/** Stochastic gradient descent with optional momentum and weight decay. */
export function createSgd(config: SgdConfig = {}): Trainer {
  const c = resolveOptions('sgd', SGD_SCHEMA, config);
  return createGradientTrainer({
    name: 'sgd',
    source: gradientOf(c.loss),
    transform: chain(
      ...(c.weightDecay > 0 ? [addDecayedWeights(c.weightDecay)] : []),
      ...(c.momentum > 0 ? [trace(c.momentum)] : []),
      scale(-c.lr),
    ),
    // Plain SGD (no momentum buffer) is what fused model steps implement.
    ...(c.momentum === 0 ? { fused: modelSgdStep({ lr: c.lr, weightDecay: c.weightDecay, loss: c.loss }) } : {}),
    describe: () => ({ name: 'sgd', ...c }),
    ...targetsOf(c.loss),
  });
}
