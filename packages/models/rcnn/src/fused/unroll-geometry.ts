/**
 * The unroll kernels' check of their inputs (wasm/unroll-kernels.ts, webgpu/unroll-kernels.ts),
 * in one line each, and the sizes and byte strides they work with; `fail` serves the gate
 * kernels' checks too.
 */
import type { NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import { RCNN_UNROLL, RCNN_UNROLL_GRAD } from '../fused-unroll.js';
import type { RcnnUnrollAttrs } from '../fused-unroll.js';

/** Bytes of a float32. */
export const FLOAT = 4;

/** Throws `<kernel>: expected <what>`. */
export const fail = (kernelName: string, what: string): never => {
  throw new Error(`${kernelName}: expected ${what}`);
};

/**
 * The sizes from a state (R·B, H, W, C) and w (R, kh, kw, C, 2C), once every input is float32, C a
 * multiple of 4, the sides odd, and each other input shaped as `want` gives it.
 */
export function unrollGeometry(
  kernelName: string,
  inputs: Record<string, TensorInfo>,
  [stateName, state]: [string, readonly number[]],
  want: (name: string, C: number) => readonly number[] | null,
) {
  for (const [name, x] of Object.entries(inputs))
    if (x.dtype !== 'float32') fail(kernelName, `a float32 input "${name}"`);
  const [RB, H, W, C] = state as [number, number, number, number];
  const w = inputs.w as TensorInfo;
  const [R, kh, kw] = w.shape as [number, number, number];
  if (state.length !== 4 || C % 4 !== 0) fail(kernelName, `${stateName} with C a multiple of 4, but got (${state})`);
  if (w.shape.length !== 5 || RB % R !== 0 || kh % 2 === 0 || kw % 2 === 0 || `${w.shape.slice(3)}` !== `${C},${2 * C}`)
    fail(kernelName, `w (R, kh, kw, C, 2C) with odd sides and R dividing ${RB}, C = ${C}, but got (${w.shape})`);
  for (const [name, x] of Object.entries(inputs)) {
    const shape = want(name, C);
    if (shape && `${x.shape}` !== `${shape}`) fail(kernelName, `${name} shaped (${shape}), but got (${x.shape})`);
  }
  const rows = (RB / R) * H * W; // cells of one replica
  const [cBytes, zBytes] = [C * FLOAT, 2 * C * FLOAT];
  return { R, B: RB / R, H, W, C, kh, kw, taps: kh * kw, rows, cBytes, zBytes, wBytes: kh * kw * C * zBytes };
}
export type Geometry = ReturnType<typeof unrollGeometry>;

/** RCNN_UNROLL's inputs and attributes, checked (every backend's implementation starts here). */
export function unrollCall(inputs: NamedTensorInfoMap, attrs: NamedAttrMap | undefined) {
  const { steps, keep } = attrs as RcnnUnrollAttrs;
  const { s, inj, w } = inputs as Record<'s' | 'inj' | 'w', TensorInfo>;
  const g = unrollGeometry(
    RCNN_UNROLL,
    inputs as Record<string, TensorInfo>,
    ['s (R·B, H, W, C)', s.shape],
    (name, C) => (name === 'w' ? null : [...s.shape.slice(0, 3), name === 'inj' ? 2 * C : C]),
  );
  if (!Number.isInteger(steps) || steps < 1) fail(RCNN_UNROLL, `steps an integer ≥ 1, but got ${steps}`);
  return { s, inj, w, g, steps, keep };
}

/** RCNN_UNROLL_GRAD's inputs, checked: the kept stacks (steps, R·B, H, W, C), dy and w. */
export function unrollGradCall(inputs: NamedTensorInfoMap) {
  const { states, gates, candidates, dy, w } = inputs as Record<
    'states' | 'gates' | 'candidates' | 'dy' | 'w',
    TensorInfo
  >;
  const stackShape = states.shape;
  const g = unrollGeometry(
    RCNN_UNROLL_GRAD,
    inputs as Record<string, TensorInfo>,
    ['states (steps, R·B, H, W, C)', stackShape.slice(1)],
    (name) => (name === 'w' ? null : name === 'dy' ? stackShape.slice(1) : stackShape),
  );
  return { states, gates, candidates, dy, w, g, steps: stackShape[0] as number };
}
