/**
 * The loss of one replica and its gradient with respect to the predictions, on host views of
 * the wasm heap: ŷ and y are (B·out) floats, the result is the mean over them (what
 * @learnability/sgd's `perReplicaLoss` gives) and δ = ∂loss/∂ŷ is written to `delta` (B·out).
 * A few dozen floats per step, so plain JS; float32 rounding where the generic path's branch
 * depends on it (the hinge's margin), so both paths take the same branch.
 */
import type { DenseSgdStepLoss } from '@learnability/core';

const f = Math.fround;

/** softplus(t) = log(1 + eᵗ), stable for large |t|. */
const softplus = (t: number) => (t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t)));
const sigmoid = (t: number) => 1 / (1 + Math.exp(-t));

export function lossAndDelta(loss: DenseSgdStepLoss, yHat: Float32Array, y: Float32Array, delta: Float32Array): number {
  const count = yHat.length;
  let sum = 0;
  for (let i = 0; i < count; i++) {
    const p = yHat[i] as number;
    const t = y[i] as number;
    let value: number;
    let d: number;
    switch (loss) {
      case 'hinge': {
        // relu(1 − yŷ); TF's relu gradient is 0 at 0 (step(x) = x > 0).
        const margin = f(1 - f(t * p));
        value = margin > 0 ? margin : 0;
        d = margin > 0 ? -t : 0;
        break;
      }
      case 'mse':
        value = (p - t) * (p - t);
        d = 2 * (p - t);
        break;
      case 'logistic':
        // softplus(−yŷ); d/dŷ = −y·σ(−yŷ).
        value = softplus(-t * p);
        d = -t * sigmoid(-t * p);
        break;
      case 'correlation':
        value = -t * p;
        d = -t;
        break;
    }
    sum += value;
    delta[i] = d / count;
  }
  return sum / count;
}
