import { assert } from '@learnability/core';
import type { Trainer } from '@learnability/core';
import { createGradientTrainer, gradientOf } from './gradient-trainer.js';
import type { LossName } from './losses.js';
import { addDecayedWeights, chain, scale, trace } from './transforms.js';

export interface SgdConfig {
  /** Learning rate η. Default 0.1 (Barak et al. 2022). */
  lr?: number;
  /** Heavy-ball momentum μ (PyTorch form: b ← μb + g, θ ← θ − ηb). Default 0 (plain SGD). */
  momentum?: number;
  /** L2 weight decay λ, added to the gradient as λθ (PyTorch's coupled form). Default 0. */
  weightDecay?: number;
  /** Loss. Default 'hinge'. */
  loss?: LossName;
}

export const SGD_DEFAULTS: Required<SgdConfig> = { lr: 0.1, momentum: 0, weightDecay: 0, loss: 'hinge' };

/** Stochastic gradient descent with optional momentum and weight decay. */
export function createSgd(config: SgdConfig = {}): Trainer {
  const c = { ...SGD_DEFAULTS, ...config };
  assert(c.lr > 0, () => `sgd.lr must be > 0, but got ${c.lr}`);
  assert(c.momentum >= 0 && c.momentum < 1, () => `sgd.momentum must be in [0, 1), but got ${c.momentum}`);
  assert(c.weightDecay >= 0, () => `sgd.weightDecay must be ≥ 0, but got ${c.weightDecay}`);
  return createGradientTrainer({
    name: 'sgd',
    source: gradientOf(c.loss),
    transform: chain(
      ...(c.weightDecay > 0 ? [addDecayedWeights(c.weightDecay)] : []),
      ...(c.momentum > 0 ? [trace(c.momentum)] : []),
      scale(-c.lr),
    ),
    // Plain SGD (no momentum buffer) is what fused model steps implement.
    ...(c.momentum === 0 ? { sgdRule: { lr: c.lr, weightDecay: c.weightDecay, loss: c.loss } } : {}),
    describe: () => ({ name: 'sgd', ...c }),
  });
}
