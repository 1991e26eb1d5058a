/**
 * Plain-JS float64 'same'-padded k×kw convolution and its filter gradient, the references the
 * TF.js versions are checked against. Layouts are row-major: x (N, H, W, Cin), filter
 * (k, kw, Cin, Cout), y (N, H, W, Cout).
 */
export interface ConvShape {
  n: number;
  h: number;
  w: number;
  cin: number;
  cout: number;
  /** Filter height (and width, unless `kw` is given); odd. */
  k: number;
  /** Filter width; odd. Default k. */
  kw?: number;
}

const widthOf = (s: ConvShape): number => s.kw ?? s.k;

/** Calls f(b, i, j, di, dj, si, sj) for every output cell and filter tap that lands inside the grid. */
function forEachTap(
  s: ConvShape,
  f: (b: number, i: number, j: number, di: number, dj: number, si: number, sj: number) => void,
): void {
  const p = (s.k - 1) / 2;
  const q = (widthOf(s) - 1) / 2;
  for (let b = 0; b < s.n; b++)
    for (let i = 0; i < s.h; i++)
      for (let j = 0; j < s.w; j++)
        for (let di = 0; di < s.k; di++)
          for (let dj = 0; dj < widthOf(s); dj++) {
            const si = i + di - p;
            const sj = j + dj - q;
            if (si >= 0 && si < s.h && sj >= 0 && sj < s.w) f(b, i, j, di, dj, si, sj);
          }
}

/** y[b, i, j, o] = Σ x[b, i + di − p, j + dj − p, c] · w[di, dj, c, o] */
export function refConv(x: ArrayLike<number>, w: ArrayLike<number>, s: ConvShape): Float64Array {
  const y = new Float64Array(s.n * s.h * s.w * s.cout);
  forEachTap(s, (b, i, j, di, dj, si, sj) => {
    for (let c = 0; c < s.cin; c++) {
      const xv = x[((b * s.h + si) * s.w + sj) * s.cin + c] as number;
      for (let o = 0; o < s.cout; o++) {
        const at = ((b * s.h + i) * s.w + j) * s.cout + o;
        y[at] = (y[at] as number) + xv * (w[((di * widthOf(s) + dj) * s.cin + c) * s.cout + o] as number);
      }
    }
  });
  return y;
}

/** ∂(Σ y ⊙ g)/∂w[di, dj, c, o] = Σ x[b, i + di − p, j + dj − p, c] · g[b, i, j, o] */
export function refConvFilterGrad(x: ArrayLike<number>, g: ArrayLike<number>, s: ConvShape): Float64Array {
  const dw = new Float64Array(s.k * widthOf(s) * s.cin * s.cout);
  forEachTap(s, (b, i, j, di, dj, si, sj) => {
    for (let c = 0; c < s.cin; c++) {
      const xv = x[((b * s.h + si) * s.w + sj) * s.cin + c] as number;
      for (let o = 0; o < s.cout; o++) {
        const at = ((di * widthOf(s) + dj) * s.cin + c) * s.cout + o;
        dw[at] = (dw[at] as number) + xv * (g[((b * s.h + i) * s.w + j) * s.cout + o] as number);
      }
    }
  });
  return dw;
}

/** ∂(Σ y ⊙ g)/∂x[b, si, sj, c] = Σ g[b, i, j, o] · w[di, dj, c, o] over taps reading (si, sj) */
export function refConvInputGrad(w: ArrayLike<number>, g: ArrayLike<number>, s: ConvShape): Float64Array {
  const dx = new Float64Array(s.n * s.h * s.w * s.cin);
  forEachTap(s, (b, i, j, di, dj, si, sj) => {
    for (let c = 0; c < s.cin; c++) {
      let acc = 0;
      for (let o = 0; o < s.cout; o++)
        acc +=
          (g[((b * s.h + i) * s.w + j) * s.cout + o] as number) *
          (w[((di * widthOf(s) + dj) * s.cin + c) * s.cout + o] as number);
      const at = ((b * s.h + si) * s.w + sj) * s.cin + c;
      dx[at] = (dx[at] as number) + acc;
    }
  });
  return dx;
}
