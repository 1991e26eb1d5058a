/**
 * The unroll kernels' definition in float64 plain JS (src/fused-unroll.ts): `steps` gated steps and
 * their gradients against ∂s_steps, straight from the maths, for the kernels' tests on every
 * backend (src/fused/wasm/, webgpu/).
 */

/** The sizes of an unroll: R replicas of B prompts on an H×W grid of C channels, a kh×kw filter. */
export interface Dims {
  R: number;
  B: number;
  H: number;
  W: number;
  C: number;
  kh: number;
  kw: number;
}

/**
 * `steps` steps and their gradients against dy (∂s_steps) in float64, straight from the
 * definitions (src/fused-unroll.ts): z = conv(s, w_r) + inj, s' = s + σ(z_u)(tanh(a) − s); forward
 * keeping each step's input, then back step by step, ∂s scattered back from each window.
 */
export function unrollReference(
  s0: Float32Array,
  inj: Float32Array,
  w: Float32Array,
  dy: Float32Array,
  d: Dims,
  steps: number,
) {
  const { R, B, H, W, C, kh, kw } = d;
  const [p, q, O] = [(kh - 1) / 2, (kw - 1) / 2, 2 * C];
  const cells = R * B * H * W;
  const cell = (rb: number, i: number, j: number) => (rb * H + i) * W + j;
  const wAt = (r: number, di: number, dj: number, c: number, o: number) => (((r * kh + di) * kw + dj) * C + c) * O + o;
  const v = (a: ArrayLike<number>, i: number) => a[i] as number;
  const add = (a: Float64Array, i: number, x: number) => {
    a[i] = v(a, i) + x;
  };
  /** Each (cell, tap, source cell) of the convolution: the source inside the grid, zero padding skipped. */
  const windows = (visit: (r: number, at: number, di: number, dj: number, from: number) => void) => {
    for (let rb = 0; rb < R * B; rb++)
      for (let i = 0; i < H; i++)
        for (let j = 0; j < W; j++)
          for (let di = 0; di < kh; di++)
            for (let dj = 0; dj < kw; dj++) {
              const [si, sj] = [i + di - p, j + dj - q];
              if (si >= 0 && si < H && sj >= 0 && sj < W)
                visit(Math.floor(rb / B), cell(rb, i, j), di, dj, cell(rb, si, sj));
            }
  };
  const forward = (s: Float64Array) => {
    const z = Float64Array.from(inj);
    windows((r, at, di, dj, from) => {
      for (let c = 0; c < C; c++)
        for (let o = 0; o < O; o++) add(z, at * O + o, v(s, from * C + c) * v(w, wAt(r, di, dj, c, o)));
    });
    return z;
  };
  const states: Float64Array[] = [Float64Array.from(s0)];
  for (let t = 0; t < steps; t++) {
    const [s, z, next] = [states[t] as Float64Array, forward(states[t] as Float64Array), new Float64Array(cells * C)];
    for (let k = 0; k < cells * C; k++) {
      const [cellIndex, c] = [Math.floor(k / C), k % C];
      const [u, cand] = [1 / (1 + Math.exp(-v(z, cellIndex * O + C + c))), Math.tanh(v(z, cellIndex * O + c))];
      next[k] = v(s, k) + u * (cand - v(s, k));
    }
    states.push(next);
  }
  const [dinj, dw] = [new Float64Array(cells * O), new Float64Array(w.length)];
  let ds = Float64Array.from(dy);
  for (let t = steps - 1; t >= 0; t--) {
    const [s, z, dz, dsPrev] = [
      states[t] as Float64Array,
      forward(states[t] as Float64Array),
      new Float64Array(cells * O),
      new Float64Array(cells * C),
    ];
    for (let k = 0; k < cells * C; k++) {
      const [cellIndex, c] = [Math.floor(k / C), k % C];
      const [u, cand, g] = [
        1 / (1 + Math.exp(-v(z, cellIndex * O + C + c))),
        Math.tanh(v(z, cellIndex * O + c)),
        v(ds, k),
      ];
      dsPrev[k] = g * (1 - u);
      dz[cellIndex * O + c] = g * u * (1 - cand * cand);
      dz[cellIndex * O + C + c] = g * (cand - v(s, k)) * u * (1 - u);
    }
    windows((r, at, di, dj, from) => {
      for (let c = 0; c < C; c++)
        for (let o = 0; o < O; o++) {
          add(dsPrev, from * C + c, v(dz, at * O + o) * v(w, wAt(r, di, dj, c, o)));
          add(dw, wAt(r, di, dj, c, o), v(s, from * C + c) * v(dz, at * O + o));
        }
    });
    for (let k = 0; k < cells * O; k++) add(dinj, k, v(dz, k));
    ds = dsPrev;
  }
  return { y: states[steps] as Float64Array, ds, dinj, dw };
}
