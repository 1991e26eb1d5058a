/**
 * A plain-JS float64 ReLU RNN forward pass for one replica (NTK parameterisation), the reference
 * the TF.js model is checked against. Matrices are row-major (fan_in × fan_out).
 */
export interface RefRnn {
  wih: Float64Array;
  whh: Float64Array;
  bh: Float64Array;
  who: Float64Array;
  bo: Float64Array;
  d: number;
  n: number;
  o: number;
}

/** Outputs o_t for one sequence x (T × d), flattened time-major (T·o). */
export function refRnnForward(net: RefRnn, x: number[][]): Float64Array {
  const { d, n, o } = net;
  const T = x.length;
  const out = new Float64Array(T * o);
  let h = new Float64Array(n);
  for (let t = 0; t < T; t++) {
    const next = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      let a = 0;
      for (let i = 0; i < d; i++) a += ((x[t] as number[])[i] as number) * (net.wih[i * n + j] as number);
      let b = 0;
      for (let i = 0; i < n; i++) b += (h[i] as number) * (net.whh[i * n + j] as number);
      next[j] = Math.max(0, a / Math.sqrt(d) + b / Math.sqrt(n) + (net.bh[j] as number));
    }
    h = next;
    for (let k = 0; k < o; k++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += (h[i] as number) * (net.who[i * o + k] as number);
      out[t * o + k] = s / Math.sqrt(n) + (net.bo[k] as number);
    }
  }
  return out;
}

/** Slices replica r of RNN params into a reference network. */
export function refRnnFromParams(
  data: Record<string, Float32Array>,
  r: number,
  d: number,
  n: number,
  o: number,
): RefRnn {
  const slice = (name: string, size: number) =>
    Float64Array.from((data[name] as Float32Array).subarray(r * size, (r + 1) * size));
  return {
    wih: slice('wih', d * n),
    whh: slice('whh', n * n),
    bh: slice('bh', n),
    who: slice('who', n * o),
    bo: slice('bo', o),
    d,
    n,
    o,
  };
}
