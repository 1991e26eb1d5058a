import { LearnabilityError } from '@learnability/core';
import type { Model } from '@learnability/core';
import type { CreditNetwork } from './credit-network.js';
import { denseNetwork, isDenseLike } from './dense-network.js';
import { isRnnLike, rnnNetwork } from './rnn-network.js';

/** The credit network of a supported model (the dense MLP or the ReLU RNN), or a clear error. */
export function creditNetworkFor(model: Model): CreditNetwork {
  if (isDenseLike(model)) return denseNetwork(model);
  if (isRnnLike(model)) return rnnNetwork(model);
  throw new LearnabilityError(
    `align: model "${model.name}" has no credit network; the backprop-free rules support "dense" and "rnn" (add one in @learnability/align src/networks/)`,
  );
}
