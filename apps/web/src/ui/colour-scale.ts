/**
 * A sequential colour scale for magnitudes: light to dark through blue (perceptually ordered and
 * readable in greyscale), for the weight heatmap.
 */

/** Stops from 0 to 1 (ColorBrewer "YlGnBu", Harrower & Brewer 2003). */
const STOPS: readonly (readonly [number, number, number])[] = [
  [255, 255, 217],
  [199, 233, 180],
  [65, 182, 196],
  [34, 94, 168],
  [8, 29, 88],
];

/** RGB of `t` ∈ [0, 1] (clamped; NaN gives 0's colour), interpolated linearly between stops. */
export function heatColour(t: number): [number, number, number] {
  const x = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) * (STOPS.length - 1) : 0;
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const a = STOPS[i] as readonly [number, number, number];
  const b = STOPS[i + 1] as readonly [number, number, number];
  return [0, 1, 2].map((c) => Math.round((a[c] as number) + f * ((b[c] as number) - (a[c] as number)))) as [
    number,
    number,
    number,
  ];
}

/** A CSS linear-gradient of the scale, for its legend. */
export function heatGradient(): string {
  return `linear-gradient(to right, ${STOPS.map((s, i) => `rgb(${s.join(' ')}) ${(100 * i) / (STOPS.length - 1)}%`).join(', ')})`;
}
