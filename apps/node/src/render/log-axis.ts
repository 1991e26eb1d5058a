/**
 * Log axes that fit the data and label what they span. Vega's own log scale rounds its domain out
 * to whole decades (a loss from 0.02 to 2 got an axis from 0.001 to 10) and, with `nice: false`,
 * may label a narrow stretch only; these give an explicit domain and tick values.
 */

/** [lo, hi] around the positive finite values, padded by `pad` (a factor) on each side; null if none. */
export function logDomain(values: readonly number[], pad = 1.15): [number, number] | null {
  const v = values.filter((x) => Number.isFinite(x) && x > 0);
  if (v.length === 0) return null;
  const lo = Math.min(...v);
  const hi = Math.max(...v);
  return [lo / pad, hi * pad];
}

/** `x` rounded to two significant digits (a tick label that reads as a number, not a float). */
function round2(x: number): number {
  const p = 10 ** (Math.floor(Math.log10(x)) - 1);
  return Math.round(x / p) * p;
}

/**
 * Tick values for a log axis over [lo, hi]: every power of ten inside it; when fewer than two,
 * also the 2× and 5× steps of each decade; when still fewer than two, the two ends rounded to two
 * significant digits. Ascending, without duplicates.
 */
export function logTicks(lo: number, hi: number): number[] {
  const inside = (x: number) => x >= lo * (1 - 1e-9) && x <= hi * (1 + 1e-9);
  const decades: number[] = [];
  for (let k = Math.floor(Math.log10(lo)); k <= Math.ceil(Math.log10(hi)); k++) decades.push(10 ** k);
  // 10 ** -2 is 0.010000000000000002 in floating point: parse it back through a string.
  const clean = (x: number) => Number(x.toPrecision(12));
  let ticks = decades.map(clean).filter(inside);
  if (ticks.length < 2)
    ticks = decades
      .flatMap((d) => [d, 2 * d, 5 * d])
      .map(clean)
      .filter(inside);
  if (ticks.length < 2) {
    // An end within 20 % of a round tick would print on top of it.
    const ends = [round2(lo * 1.05), round2(hi / 1.05)].filter((e) =>
      ticks.every((t) => Math.max(e, t) / Math.min(e, t) > 1.2),
    );
    ticks = [...ticks, ...ends];
  }
  return [...new Set(ticks)].sort((a, b) => a - b);
}

/** A vega-lite scale and axis for a log axis fitted to `values` (plain log scale when empty). */
export function fittedLogAxis(values: readonly number[]): {
  scale: { type: 'log'; domain?: [number, number]; nice: false };
  axis?: { values: number[] };
} {
  const domain = logDomain(values);
  if (domain === null) return { scale: { type: 'log', nice: false } };
  return { scale: { type: 'log', domain, nice: false }, axis: { values: logTicks(domain[0], domain[1]) } };
}
