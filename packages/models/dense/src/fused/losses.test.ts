import { describe, expect, it } from 'vitest';
import { lossAndDelta } from './losses.js';

describe('lossAndDelta', () => {
  it('is the mean loss and δ = ∂loss/∂ŷ over B·out, and refuses an unknown loss or targets of another length', () => {
    const delta = new Float64Array(2);
    // mse: mean((ŷ − y)²) = (1 + 4)/2, δ = 2(ŷ − y)/2.
    expect(lossAndDelta('mse', [1, 2], [0, 0], delta)).toBe(2.5);
    expect(Array.from(delta)).toEqual([1, 2]);
    expect(() => lossAndDelta('huber' as never, [1], [1], delta)).toThrow(
      'lossAndDelta: loss must be one of hinge, mse, logistic, correlation, but got "huber" (a string)',
    );
    expect(() => lossAndDelta('mse', [1, 2], [1], delta)).toThrow(
      'lossAndDelta: y (1) and delta (2) must hold one value per prediction (2)',
    );
  });
});
