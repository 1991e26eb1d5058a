/**
 * A plain-JS float64 MLP, forward and backward, for one replica: the reference the TF.js
 * model and trainers are checked against. Weights are row-major (fan_in × fan_out).
 */
export interface RefLayer {
  w: Float64Array;
  b: Float64Array;
  fanIn: number;
  fanOut: number;
}

export type RefActivation = 'relu' | 'tanh';

const act = (kind: RefActivation, z: number) => (kind === 'relu' ? Math.max(0, z) : Math.tanh(z));
const dact = (kind: RefActivation, z: number) => (kind === 'relu' ? (z > 0 ? 1 : 0) : 1 - Math.tanh(z) ** 2);

export interface RefForward {
  /** a_0 = x, a_1, …, a_L (outputs), per example. */
  activations: Float64Array[][];
  /** z_1 … z_L per example. */
  pre: Float64Array[][];
}

export function refForward(layers: RefLayer[], x: number[][], kind: RefActivation, ntk: boolean): RefForward {
  const activations: Float64Array[][] = [x.map((r) => Float64Array.from(r))];
  const pre: Float64Array[][] = [];
  layers.forEach((layer, l) => {
    const scale = ntk ? 1 / Math.sqrt(layer.fanIn) : 1;
    const inputs = activations[l] as Float64Array[];
    const zs = inputs.map((a) => {
      const z = new Float64Array(layer.fanOut);
      for (let j = 0; j < layer.fanOut; j++) {
        let s = 0;
        for (let i = 0; i < layer.fanIn; i++) s += (a[i] as number) * (layer.w[i * layer.fanOut + j] as number);
        z[j] = s * scale + (layer.b[j] as number);
      }
      return z;
    });
    pre.push(zs);
    activations.push(l < layers.length - 1 ? zs.map((z) => z.map((v) => act(kind, v))) : zs);
  });
  return { activations, pre };
}

export type RefLoss = 'mse' | 'hinge';

/** Mean loss over the batch (and outputs) and its gradient with respect to every w and b. */
export function refLossAndGrads(
  layers: RefLayer[],
  x: number[][],
  y: number[][],
  kind: RefActivation,
  ntk: boolean,
  loss: RefLoss,
) {
  const { activations, pre } = refForward(layers, x, kind, ntk);
  const B = x.length;
  const out = activations[layers.length] as Float64Array[];
  const o = layers[layers.length - 1]?.fanOut ?? 1;
  let value = 0;
  // δ_L = ∂loss/∂z_L, per example.
  let delta: Float64Array[] = out.map((yhat, n) =>
    yhat.map((v, j) => {
      const t = (y[n] as number[])[j] as number;
      if (loss === 'mse') {
        value += (v - t) ** 2;
        return (2 * (v - t)) / (B * o);
      }
      value += Math.max(0, 1 - t * v);
      return 1 - t * v > 0 ? -t / (B * o) : 0;
    }),
  );
  value /= B * o;
  const grads: { w: Float64Array; b: Float64Array }[] = layers.map((l) => ({
    w: new Float64Array(l.w.length),
    b: new Float64Array(l.b.length),
  }));
  for (let l = layers.length - 1; l >= 0; l--) {
    const layer = layers[l] as RefLayer;
    const g = grads[l] as { w: Float64Array; b: Float64Array };
    const scale = ntk ? 1 / Math.sqrt(layer.fanIn) : 1;
    const inputs = activations[l] as Float64Array[];
    const next: Float64Array[] = inputs.map(() => new Float64Array(layer.fanIn));
    delta.forEach((d, n) => {
      const a = inputs[n] as Float64Array;
      for (let j = 0; j < layer.fanOut; j++) {
        const dj = d[j] as number;
        g.b[j] = (g.b[j] as number) + dj;
        for (let i = 0; i < layer.fanIn; i++) {
          g.w[i * layer.fanOut + j] = (g.w[i * layer.fanOut + j] as number) + (a[i] as number) * dj * scale;
          (next[n] as Float64Array)[i] =
            ((next[n] as Float64Array)[i] as number) + (layer.w[i * layer.fanOut + j] as number) * dj * scale;
        }
      }
    });
    if (l > 0)
      delta = next.map((dn, n) =>
        dn.map((v, i) => v * dact(kind, ((pre[l - 1] as Float64Array[])[n] as Float64Array)[i] as number)),
      );
  }
  return { value, grads };
}

/** Slices replica r of dense params (w{l}: (R, in, out), b{l}: (R, 1, out)) into reference layers. */
export function refLayersFromParams(
  data: Record<string, { values: Float32Array; shape: number[] }>,
  r: number,
): RefLayer[] {
  const layers: RefLayer[] = [];
  for (let l = 0; `w${l}` in data; l++) {
    const w = data[`w${l}`] as { values: Float32Array; shape: number[] };
    const b = data[`b${l}`] as { values: Float32Array; shape: number[] };
    const [, fanIn, fanOut] = w.shape as [number, number, number];
    layers.push({
      w: Float64Array.from(w.values.subarray(r * fanIn * fanOut, (r + 1) * fanIn * fanOut)),
      b: Float64Array.from(b.values.subarray(r * fanOut, (r + 1) * fanOut)),
      fanIn,
      fanOut,
    });
  }
  return layers;
}
