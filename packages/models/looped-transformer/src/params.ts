/**
 * Parameter names, shapes and initialisation. Every tensor has the leading replica axis R.
 *
 *   readIn.w (R, d, D)  readIn.b (R, 1, D)          token read-in (shared by x and y tokens)
 *   pos      (R, T, D)                               learned absolute positions
 *   h{l}.ln1.g/b (R, 1, D)   h{l}.qkv.w (R, D, 3D) h{l}.qkv.b (R, 1, 3D)
 *   h{l}.proj.w (R, D, D)    h{l}.proj.b (R, 1, D)  h{l}.ln2.g/b (R, 1, D)
 *   h{l}.fc.w (R, D, 4D)     h{l}.fc.b (R, 1, 4D)   h{l}.out.w (R, 4D, D)  h{l}.out.b (R, 1, D)
 *   lnF.g/b  (R, 1, D)                               final LayerNorm (inside the loop)
 *   readOut.w (R, D, 1) readOut.b (R, 1, 1)
 *
 * Initialisation follows the authors' code: GPT-2's (HuggingFace `_init_weights`) inside the
 * transformer — weights N(0, 0.02²), the two residual projections N(0, (0.02/√(2L))²), biases 0,
 * LayerNorm γ = 1, β = 0, positions N(0, 0.02²) — and PyTorch's `nn.Linear` default for the
 * read-in and read-out, which live outside GPT2Model: w, b ~ U(±1/√fan_in).
 */
import * as tf from '@tensorflow/tfjs-core';
import { assert, assertRngs } from '@learnability/core';
import type { Params, Rng } from '@learnability/core';
import type { ResolvedLoopedTransformerConfig } from './config.js';

type Init = { kind: 'normal'; std: number } | { kind: 'uniform'; bound: number } | { kind: 'const'; value: number };

interface ParamSpec {
  name: string;
  /** Shape without the replica axis. */
  shape: number[];
  init: Init;
}

/** Every parameter of the model, in a fixed order. */
export function paramSpecs(c: ResolvedLoopedTransformerConfig): ParamSpec[] {
  const D = c.embedSize;
  const H = c.mlpRatio * D;
  const normal = (std: number): Init => ({ kind: 'normal', std });
  const zero: Init = { kind: 'const', value: 0 };
  const one: Init = { kind: 'const', value: 1 };
  const linear = (fanIn: number): Init => ({ kind: 'uniform', bound: 1 / Math.sqrt(fanIn) });
  const residualStd = c.initStd / Math.sqrt(2 * c.layers);
  const specs: ParamSpec[] = [
    { name: 'readIn.w', shape: [c.tokenSize, D], init: linear(c.tokenSize) },
    { name: 'readIn.b', shape: [1, D], init: linear(c.tokenSize) },
    { name: 'pos', shape: [c.tokens, D], init: normal(c.initStd) },
  ];
  for (let l = 0; l < c.layers; l++) {
    specs.push(
      { name: `h${l}.ln1.g`, shape: [1, D], init: one },
      { name: `h${l}.ln1.b`, shape: [1, D], init: zero },
      { name: `h${l}.qkv.w`, shape: [D, 3 * D], init: normal(c.initStd) },
      { name: `h${l}.qkv.b`, shape: [1, 3 * D], init: zero },
      { name: `h${l}.proj.w`, shape: [D, D], init: normal(residualStd) },
      { name: `h${l}.proj.b`, shape: [1, D], init: zero },
      { name: `h${l}.ln2.g`, shape: [1, D], init: one },
      { name: `h${l}.ln2.b`, shape: [1, D], init: zero },
      { name: `h${l}.fc.w`, shape: [D, H], init: normal(c.initStd) },
      { name: `h${l}.fc.b`, shape: [1, H], init: zero },
      { name: `h${l}.out.w`, shape: [H, D], init: normal(residualStd) },
      { name: `h${l}.out.b`, shape: [1, D], init: zero },
    );
  }
  specs.push(
    { name: 'lnF.g', shape: [1, D], init: one },
    { name: 'lnF.b', shape: [1, D], init: zero },
    { name: 'readOut.w', shape: [D, 1], init: linear(D) },
    { name: 'readOut.b', shape: [1, 1], init: linear(D) },
  );
  return specs;
}

function fill(out: Float32Array, init: Init, rng: Rng): void {
  switch (init.kind) {
    case 'normal':
      rng.normals(out, init.std);
      return;
    case 'uniform':
      for (let i = 0; i < out.length; i++) out[i] = (2 * rng.uniform() - 1) * init.bound;
      return;
    case 'const':
      out.fill(init.value);
      return;
  }
}

/** Fresh parameters; replica r draws every tensor from `rngs[r].fork(name)` alone. */
export function initParams(c: ResolvedLoopedTransformerConfig, rngs: readonly Rng[]): Params {
  assertRngs('looped-transformer', rngs, c.replicas);
  const params: Params = {};
  for (const spec of paramSpecs(c)) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(c.replicas * size);
    rngs.forEach((rng, r) => fill(values.subarray(r * size, (r + 1) * size), spec.init, rng.fork(spec.name)));
    params[spec.name] = tf.tensor(values, [c.replicas, ...spec.shape]);
  }
  return params;
}

/** The named parameter, or an error listing what was expected. */
export function param(params: Params, name: string): tf.Tensor {
  const t = params[name];
  assert(t !== undefined, () => `looped-transformer: missing parameter "${name}" (create params with model.init)`);
  return t;
}
