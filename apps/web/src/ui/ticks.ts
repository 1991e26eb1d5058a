/**
 * Round tick values and labels for the lab's charts and the explorers' plots (pure; tested).
 */

/** Ticks for a log axis: the powers of ten in range, with 1-3 steps over two decades and 1-2-3-5-7 over one. */
export function logTicks(lo: number, hi: number): number[] {
  if (!(lo > 0 && hi >= lo)) return [];
  const out: number[] = [];
  const [e0, e1] = [Math.floor(Math.log10(lo)), Math.ceil(Math.log10(hi))];
  const mults = e1 - e0 <= 1 ? [1, 2, 3, 5, 7] : e1 - e0 <= 2 ? [1, 3] : [1];
  const step = Math.max(1, Math.ceil((e1 - e0) / 6));
  for (let e = e0; e <= e1; e += mults.length === 1 ? step : 1) {
    for (const m of mults) {
      const v = Number((m * 10 ** e).toPrecision(12));
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(v);
    }
  }
  return out;
}

/** About `count` round ticks over [lo, hi] on a linear axis. */
export function linearTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  // A range of a few ulps at a large magnitude (10000 to 10000 + 2⁻³⁹) has a step that adds
  // nothing to v: the loop would never end. Count the ticks instead of adding the step up.
  const first = Math.ceil(lo / step);
  for (let i = 0; i <= count * 2 + 1; i++) {
    const v = (first + i) * step;
    if (v > hi + step * 1e-9) break;
    out.push(Number(v.toPrecision(12)));
  }
  return out.length > 0 ? [...new Set(out)] : [lo];
}

/**
 * A short tick label: 0.25, 300, 1e-4, 2.5e5. Up to 3 significant digits, in exponent form too:
 * rounded to one there, the tick at 150,000 read 2e5, as the one at 200,000 did.
 */
export function tickLabel(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-2)) return Number(v.toPrecision(3)).toExponential().replace('e+', 'e');
  return String(Number(v.toPrecision(3)));
}
