import { describe, expect, it } from 'vitest';
import { heatColour } from './colour-scale.js';

const luminance = ([r, g, b]: [number, number, number]) => 0.2126 * r + 0.7152 * g + 0.0722 * b;

describe('heatColour', () => {
  it('runs from the first stop to the last, clamping outside [0, 1]', () => {
    expect(heatColour(0)).toEqual([255, 255, 217]);
    expect(heatColour(1)).toEqual([8, 29, 88]);
    expect(heatColour(-3)).toEqual(heatColour(0));
    expect(heatColour(7)).toEqual(heatColour(1));
    expect(heatColour(Number.NaN)).toEqual(heatColour(0));
    expect(heatColour(0.125)).toEqual([227, 244, 199]); // halfway between the first two stops
  });

  it('gets darker as the magnitude grows (readable in greyscale)', () => {
    const l = Array.from({ length: 21 }, (_, i) => luminance(heatColour(i / 20)));
    for (let i = 1; i < l.length; i++) expect(l[i]).toBeLessThan(l[i - 1] as number);
  });
});
