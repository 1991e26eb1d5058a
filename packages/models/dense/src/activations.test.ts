import * as tf from '@tensorflow/tfjs-core';
import { fileURLToPath } from 'node:url';
import { describeEachBackend, runInFreshProcess } from '@learnability/backends/testing';
import { expect, it } from 'vitest';
import { ACTIVATIONS, activate, activationDerivative } from './activations.js';
import type { Activation } from './activations.js';

/** σ in float64, written from the definitions: the reference for both σ and, by central differences, σ′. */
function sigma(kind: Activation, z: number, degree: number): number {
  switch (kind) {
    case 'relu':
      return Math.max(z, 0);
    case 'tanh':
      return Math.tanh(z);
    case 'gelu':
      return 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z ** 3)));
    case 'poly': {
      let sum = 0;
      for (let j = 0, term = 1; j <= degree; j++, term *= z / j) sum += term;
      return sum;
    }
  }
}

// Points away from ReLU's kink at 0, where its derivative has no finite difference.
const Z = [-3.1, -1.7, -0.6, -0.05, 0.07, 0.4, 1.3, 2.9];

describeEachBackend('activations', () => {
  it('an unknown name is refused, not answered with undefined, and keeps no tensor', () => {
    const z = tf.tensor1d(Z);
    const before = tf.memory().numTensors;
    expect(() => activate('swish' as never, z)).toThrow(
      'activate: unknown activation "swish"; known: relu, gelu, tanh, poly',
    );
    expect(() => activationDerivative('swish' as never, z)).toThrow('activationDerivative: unknown activation "swish"');
    expect(() => activate('poly', z, 2.5)).toThrow('activate: poly degree must be an integer ≥ 0, but got 2.5');
    expect(tf.memory().numTensors).toBe(before);
    z.dispose();
  });

  for (const kind of ACTIVATIONS)
    for (const degree of kind === 'poly' ? [1, 3, 6] : [3])
      it(`${kind}${kind === 'poly' ? ` (degree ${degree})` : ''}: σ matches the float64 definition, σ′ its central differences`, async () => {
        const z = tf.tensor1d(Z);
        const before = tf.memory().numTensors;
        const [s, ds] = [activate(kind, z, degree), activationDerivative(kind, z, degree)];
        const [got, gotD] = [await s.data(), await ds.data()];
        tf.dispose([s, ds]);
        expect(tf.memory().numTensors).toBe(before);
        z.dispose();
        const h = 1e-5;
        Z.forEach((v, i) => {
          const want = sigma(kind, v, degree);
          const wantD = (sigma(kind, v + h, degree) - sigma(kind, v - h, degree)) / (2 * h);
          expect(got[i]).toBeCloseTo(want, 4);
          expect(gotD[i]).toBeCloseTo(wantD, 4);
        });
      });

  it('ReLU′(0) is 0, and poly of degree 0 (a constant) has derivative 0', async () => {
    const z = tf.tensor1d([0, 1.5]);
    const [relu, poly] = [activationDerivative('relu', z), activationDerivative('poly', z, 0)];
    expect([...(await relu.data())]).toEqual([0, 1]);
    expect([...(await poly.data())]).toEqual([0, 0]);
    tf.dispose([z, relu, poly]);
  });
});

it('σ′ needs no gradients registered: with tfjs-backend-cpu alone, as the README allows, every one computes', () => {
  // The cpu backend is the one @learnability/backends depends on; setupBackend would register the gradients.
  const script = `
    import { createRequire } from 'node:module';
    import { pathToFileURL } from 'node:url';
    import * as tf from '@tensorflow/tfjs-core';
    const backends = createRequire(process.cwd() + '/').resolve('@learnability/backends');
    await import(pathToFileURL(createRequire(backends).resolve('@tensorflow/tfjs-backend-cpu')).href);
    await tf.setBackend('cpu');
    const { ACTIVATIONS, activationDerivative } = await import('./src/activations.ts');
    const z = tf.tensor1d([-1, 0.5]);
    process.stdout.write(JSON.stringify(ACTIVATIONS.map((k) => Array.from(activationDerivative(k, z).dataSync()))));
  `;
  const run = runInFreshProcess(script, fileURLToPath(new URL('../', import.meta.url)));
  expect(run.stderr).not.toMatch(/Error/);
  const got = JSON.parse(run.stdout) as number[][];
  expect(got).toHaveLength(ACTIVATIONS.length);
  // Each σ′ (default degree 3) at z = −1 and 0.5 against central differences of the float64 σ.
  const h = 1e-5;
  ACTIVATIONS.forEach((kind, i) =>
    [-1, 0.5].forEach((z, j) =>
      expect(got[i]?.[j], `${kind}′(${z})`).toBeCloseTo((sigma(kind, z + h, 3) - sigma(kind, z - h, 3)) / (2 * h), 4),
    ),
  );
});
