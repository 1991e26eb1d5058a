/**
 * What every WGSL program of the fused looped step shares: the bindings (step-layout.ts says what
 * each holds), float literals, a workgroup row sum and GPT-2's tanh GELU with its derivative.
 */

/** The seven bindings of the step's one bind group layout (0 and 1 read-only). */
export const BINDINGS_WGSL = /* wgsl */ `
@group(0) @binding(0) var<storage, read> sc: array<f32>;
@group(0) @binding(1) var<storage, read> xy: array<f32>;
@group(0) @binding(2) var<storage, read_write> th: array<f32>;
@group(0) @binding(3) var<storage, read_write> gr: array<f32>;
@group(0) @binding(4) var<storage, read_write> mo: array<f32>;
@group(0) @binding(5) var<storage, read_write> ac: array<f32>;
@group(0) @binding(6) var<storage, read_write> st: array<f32>;
`;

export const BINDING_COUNT = 7;

/** A WGSL f32 literal of `v` (exponent form, so 1 is `1e0`, never an integer literal). */
export const f32 = (v: number): string => {
  if (!Number.isFinite(v)) throw new Error(`fused looped step: ${v} is not a finite f32 constant`);
  return v.toExponential();
};

/** A WGSL u32 literal. */
export const u32 = (v: number): string => `${v}u`;

/**
 * `rowSum(li, v)`: the sum of `v` over a workgroup of `threads` (a power of two) threads, every
 * thread gets it. Call from uniform control flow only (it has barriers).
 */
export const rowSumWgsl = (threads: number): string => /* wgsl */ `
var<workgroup> red: array<f32, ${threads}>;
fn rowSum(li: u32, v: f32) -> f32 {
  red[li] = v;
  workgroupBarrier();
  for (var s = ${threads / 2}u; s > 0u; s = s >> 1u) {
    if (li < s) { red[li] = red[li] + red[li + s]; }
    workgroupBarrier();
  }
  let total = red[0];
  workgroupBarrier();
  return total;
}
`;

/**
 * GELU, tanh form (GPT-2's gelu_new), and its derivative: with t = tanh(c(z + 0.044715 z³)),
 * gelu = ½z(1 + t) and gelu' = ½(1 + t) + ½z(1 − t²)·c(1 + 3·0.044715 z²). The tanh argument is
 * clamped to ±15, where tanh is ±1 in f32 (some drivers' tanh overflows far beyond).
 */
export const GELU_WGSL = /* wgsl */ `
const GELU_C: f32 = ${f32(Math.sqrt(2 / Math.PI))};
fn geluTanh(z: f32) -> f32 { return tanh(clamp(GELU_C * (z + 0.044715 * z * z * z), -15.0, 15.0)); }
fn gelu(z: f32) -> f32 { return 0.5 * z * (1.0 + geluTanh(z)); }
fn geluGrad(z: f32) -> f32 {
  let t = geluTanh(z);
  return 0.5 * (1.0 + t) + 0.5 * z * (1.0 - t * t) * GELU_C * (1.0 + 3.0 * 0.044715 * z * z);
}
`;
