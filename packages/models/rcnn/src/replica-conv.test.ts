import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend } from '@learnability/backends/testing';
import { createRng } from '@learnability/core';
import { expectClose } from '@learnability/core/testing';
import { expect, it } from 'vitest';
import { refConv, refConvFilterGrad, refConvInputGrad } from '../test/reference-conv.js';
import type { ConvShape } from '../test/reference-conv.js';
import { replicaConv, replicaFilters } from './replica-conv.js';

const normals = (n: number, seed: number) => {
  const v = new Float32Array(n);
  createRng(seed).normals(v);
  return v;
};

describeEachBackend('replicaConv', () => {
  for (const [k, kw] of [
    [3, 3],
    [1, 1],
    [5, 5],
    [1, 3],
    [3, 5],
  ] as const) {
    it(`${k}×${kw}: forward, input and filter gradients equal the plain-JS reference, per replica`, async () => {
      const R = 2;
      const s: ConvShape = { n: 2, h: 3, w: 4, cin: 3, cout: 2, k, kw };
      const cells = s.n * s.h * s.w;
      const xv = normals(R * cells * s.cin, 1);
      const wv = normals(R * k * kw * s.cin * s.cout, 2);
      const gv = normals(R * cells * s.cout, 3);
      const x = tf.tensor4d(xv, [R * s.n, s.h, s.w, s.cin]);
      const w = tf.tensor(wv, [R, k, kw, s.cin, s.cout]);
      const g = tf.tensor4d(gv, [R * s.n, s.h, s.w, s.cout]);
      const before = tf.memory().numTensors;
      const y = tf.tidy(() => replicaConv(x, replicaFilters(w)));
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(replicaConv(a as tf.Tensor4D, replicaFilters(b)), g)),
      )([x, w]);
      const [yv, dxv, dwv] = await Promise.all([y, dx as tf.Tensor, dw as tf.Tensor].map((t) => t.data()));
      for (let r = 0; r < R; r++) {
        const part = (v: ArrayLike<number>, size: number) => Array.from(v).slice(r * size, (r + 1) * size);
        const xr = part(xv, cells * s.cin);
        const wr = part(wv, k * kw * s.cin * s.cout);
        const gr = part(gv, cells * s.cout);
        await expectClose(part(yv as Float32Array, cells * s.cout), refConv(xr, wr, s), {
          atol: 1e-4,
          rtol: 1e-4,
          what: `replica ${r} y`,
        });
        await expectClose(part(dxv as Float32Array, cells * s.cin), refConvInputGrad(wr, gr, s), {
          atol: 1e-4,
          rtol: 1e-4,
          what: `replica ${r} ∂x`,
        });
        await expectClose(part(dwv as Float32Array, wr.length), refConvFilterGrad(xr, gr, s), {
          atol: 1e-4,
          rtol: 1e-4,
          what: `replica ${r} ∂w`,
        });
      }
      tf.dispose([y, dx as tf.Tensor, dw as tf.Tensor]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([x, w, g]);
    });
  }
});
