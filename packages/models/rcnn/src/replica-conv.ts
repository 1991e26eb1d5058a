/**
 * A 'same'-padded, stride-1 kh×kw convolution (odd sides) with a different filter per replica, replicas folded
 * into the batch axis (replica-major: rows r·B … r·B + B − 1 belong to replica r).
 *
 * Forward: one `tf.conv2d` per replica (XNNPACK on wasm). Backward, as a custom gradient: the
 * input gradient per replica as a forward convolution too, dy correlated with the filter turned
 * 180° (`inputGradient`); the filter gradient as a convolution of the input with dy, or for
 * one-row filters as one batched product of all replicas' im2col windows with dy
 * (`filterGradients`). The custom gradient is needed because TF.js 4.22's wasm backend has no
 * Conv2DBackpropFilter kernel; an im2col forward (k² slices per call, differentiated by the tape)
 * measured several times slower on wasm.
 * Rank 4 throughout: WebGPU in TF.js 4.22 cannot pad or slice rank-5 tensors.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GradSaveFunc } from '@tensorflow/tfjs-core';

/** The filter of each replica: (R, kh, kw, Cin, Cout) → R × (kh, kw, Cin, Cout), through rank 2. */
export function replicaFilters(filter: tf.Tensor): tf.Tensor4D[] {
  return tf.tidy(() => {
    const [R, kh, kw, cin, cout] = filter.shape as [number, number, number, number, number];
    // tf.split into one piece has a broken gradient in TF.js 4.22 (SplitV_grad concats a lone tensor).
    const rows = R === 1 ? [filter] : tf.split(tf.reshape(filter, [R, -1]), R, 0);
    return rows.map((f) => tf.reshape(f, [kh, kw, cin, cout]) as tf.Tensor4D);
  });
}

/** Rows of each replica: (R·B, …) → R × (B, …). */
const byReplica = (x: tf.Tensor4D, R: number): tf.Tensor4D[] => (R === 1 ? [x] : tf.split<tf.Tensor4D>(x, R, 0));
const stackReplicas = (parts: tf.Tensor4D[]): tf.Tensor4D =>
  parts.length === 1 ? (parts[0] as tf.Tensor4D) : tf.concat(parts, 0);

/**
 * ∂(Σ conv(x, w) ⊙ dy)/∂x: the 'same' correlation of dy with w turned 180° and its channels
 * swapped, w'[a, b, o, c] = w[kh−1−a, kw−1−b, c, o] (odd sides, so the padding stays symmetric).
 * This is `tf.conv2dTranspose`'s result, but as a forward convolution: on wasm that is XNNPACK,
 * where conv2dTranspose is tfjs-wasm's Conv2DBackpropInput, a scalar loop that took 5–6× as long
 * a call as the forward convolution in the in-context RCNN's step.
 * dy (B, H, W, Cout), w (kh, kw, Cin, Cout) → (B, H, W, Cin)
 */
function inputGradient(dy: tf.Tensor4D, w: tf.Tensor4D): tf.Tensor4D {
  return tf.conv2d(dy, tf.transpose(tf.reverse(w, [0, 1]), [0, 1, 3, 2]), 1, 'same');
}

/** x padded for a 'same' kh×kw window (odd sides): (B, H, W, C) → (B, H + kh − 1, W + kw − 1, C). */
const padSame = (x: tf.Tensor4D, kh: number, kw: number): tf.Tensor4D =>
  tf.pad(x, [
    [0, 0],
    [(kh - 1) / 2, (kh - 1) / 2],
    [(kw - 1) / 2, (kw - 1) / 2],
    [0, 0],
  ]);

/**
 * ∂(Σ conv(x, w) ⊙ dy)/∂w[di, dj, c, o] = Σ_{b,i,j} xpad[b, i + di, j + dj, c] · dy[b, i, j, o], one
 * replica, as a forward convolution of the padded input with dy as its filter (batch and
 * channels swapped; the k×k result is the output).
 * x (B, H, W, Cin), dy (B, H, W, Cout) → (kh, kw, Cin, Cout)
 */
function filterGradientByConv(x: tf.Tensor4D, dy: tf.Tensor4D, kh: number, kw: number): tf.Tensor4D {
  const xT = tf.transpose(padSame(x, kh, kw), [3, 1, 2, 0]); // (Cin, H+2p, W+2q, B)
  const dyT = tf.transpose(dy, [1, 2, 0, 3]); // (H, W, B, Cout): the filter
  return tf.transpose(tf.conv2d(xT, dyT, 1, 'valid'), [1, 2, 0, 3]); // (Cin, kh, kw, Cout) → (kh, kw, Cin, Cout)
}

/**
 * The same sum for every replica at once, as one batched product: the kh·kw shifted windows of
 * the padded input side by side (im2col, (R, B·H·W, kh·kw·Cin)), transposed, times dy
 * (R, B·H·W, Cout).
 * x (R·B, H, W, Cin), dy (R·B, H, W, Cout) → R × (kh, kw, Cin, Cout)
 */
function filterGradientsByProduct(x: tf.Tensor4D, dy: tf.Tensor4D, R: number, kh: number, kw: number): tf.Tensor4D[] {
  const [RB, H, W, cin] = x.shape;
  const cout = dy.shape[3];
  const padded = padSame(x, kh, kw);
  const windows: tf.Tensor4D[] = [];
  for (let di = 0; di < kh; di++)
    for (let dj = 0; dj < kw; dj++) windows.push(tf.slice(padded, [0, di, dj, 0], [RB, H, W, cin]));
  const rows = (RB / R) * H * W;
  const im2col = windows.length === 1 ? (windows[0] as tf.Tensor4D) : tf.concat(windows, 3);
  const grad = tf.matMul(tf.reshape(im2col, [R, rows, kh * kw * cin]), tf.reshape(dy, [R, rows, cout]), true, false);
  return replicaFilters(tf.reshape(grad, [R, kh, kw, cin, cout])); // (R, kh·kw·Cin, Cout) → R × (kh, kw, Cin, Cout)
}

/**
 * Each replica's filter gradient. A filter of one row or one column (the parity grids' 1×3) takes
 * the product: the convolution route has XNNPACK pack dy, an (H, W, B, Cout) filter, anew at
 * every call, which grows with the grid; the product made a whole rcnn-parity step on wasm 15 %
 * faster at n = 32 (no change past the noise at n = 8). A k×k filter keeps the convolution: with
 * k² windows to copy, im2col made the in-context 3×3 step about 7 % slower (docs/benchmarks.md).
 */
function filterGradients(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  dyByReplica: readonly tf.Tensor4D[],
  filters: readonly tf.Tensor4D[],
): tf.Tensor4D[] {
  const [kh, kw] = (filters[0] as tf.Tensor4D).shape;
  if (kh === 1 || kw === 1) return filterGradientsByProduct(x, dy, filters.length, kh, kw);
  return byReplica(x, filters.length).map((xr, r) => filterGradientByConv(xr, dyByReplica[r] as tf.Tensor4D, kh, kw));
}

const conv = tf.customGrad((...args: (tf.Tensor | GradSaveFunc)[]) => {
  const save = args[args.length - 1] as GradSaveFunc;
  const [x, ...filters] = args.slice(0, -1) as [tf.Tensor4D, ...tf.Tensor4D[]];
  save([x, ...filters]);
  const value = stackReplicas(
    byReplica(x, filters.length).map((xr, r) => tf.conv2d(xr, filters[r] as tf.Tensor4D, 1, 'same')),
  );
  return {
    value,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, ...ws] = saved as [tf.Tensor4D, ...tf.Tensor4D[]];
      const dyr = byReplica(dy as tf.Tensor4D, ws.length);
      const dx = stackReplicas(dyr.map((g, r) => inputGradient(g, ws[r] as tf.Tensor4D)));
      return [dx, ...filterGradients(xs, dy as tf.Tensor4D, dyr, ws)];
    },
  };
});

/**
 * y[r·B + b, i, j, :] = Σ_{di, dj} x[r·B + b, i + di − p, j + dj − p, :] · filters[r][di, dj], zeros outside.
 * x (R·B, H, W, Cin), filters R × (kh, kw, Cin, Cout) (from `replicaFilters`) → (R·B, H, W, Cout)
 */
export function replicaConv(x: tf.Tensor4D, filters: readonly tf.Tensor4D[]): tf.Tensor4D {
  return conv(x, ...filters) as tf.Tensor4D;
}
