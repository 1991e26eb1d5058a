/**
 * The token layout of Yang et al. 2023 (docs/papers.md §5), after Garg et al. 2022: a prompt of P
 * points is 2P tokens of width d, interleaved
 *
 *   token 2i     : x_i ∈ R^d
 *   token 2i + 1 : [y_i, 0, …, 0]   (y as a d-vector)
 *
 * and the targets are y_0 … y_{P−1}, one per x token: the prediction at x_k sees k examples.
 */

/** Writes point i of prompt `p` (x from `x` at `xOffset`, d entries) into a prompts array (N · 2P · d). */
export function writePoint(
  tokens: Float32Array,
  p: number,
  i: number,
  points: number,
  dims: number,
  x: Float32Array,
  xOffset: number,
  y: number,
): void {
  const base = (p * 2 * points + 2 * i) * dims;
  tokens.set(x.subarray(xOffset, xOffset + dims), base);
  tokens[base + dims] = y;
}

/** The examples of prompt `p` read back from its tokens: xs (P · d) row-major and ys (P), as float64. */
export function readPrompt(
  tokens: Float32Array,
  p: number,
  points: number,
  dims: number,
): { xs: Float64Array; ys: Float64Array } {
  const xs = new Float64Array(points * dims);
  const ys = new Float64Array(points);
  for (let i = 0; i < points; i++) {
    const base = (p * 2 * points + 2 * i) * dims;
    for (let j = 0; j < dims; j++) xs[i * dims + j] = tokens[base + j] as number;
    ys[i] = tokens[base + dims] as number;
  }
  return { xs, ys };
}
