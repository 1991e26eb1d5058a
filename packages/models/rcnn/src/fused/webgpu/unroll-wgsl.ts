/**
 * The WGSL programs of the unroll kernels (fused-unroll.ts has the maths), one dispatch per step
 * forward and two back. Every size is a constant of the program; the step t is read from a
 * one-word binding at a dynamic offset, so a whole unroll is one bind group and one pipeline
 * per entry point.
 *
 * Layouts, channels last as in the tensors: a state (R·B, H, W, C) has cell (rb, y, x) channel c
 * at ((rb·H + y)·W + x)·C + c, where replica r holds rows rb = r·B … r·B + B − 1; z and inj
 * (…, 2C) hold a in channels [0, C) and z_u in [C, 2C); w (R, kh, kw, C, 2C). Convolutions are
 * 'same' (zero padding) cross-correlations, as tf.conv2d computes them.
 */
import type { Geometry } from '../unroll-geometry.js';

/** Threads per workgroup, in every entry point. */
export const GROUP = 64;

const u = (v: number) => `${v}u`;

/** The sizes every program shares, and the step binding. */
const header = (g: Geometry, nx: number) => /* wgsl */ `
const R = ${u(g.R)};
const H = ${u(g.H)};
const W = ${u(g.W)};
const C = ${u(g.C)};
const O = ${u(2 * g.C)};
const KH = ${u(g.kh)};
const KW = ${u(g.kw)};
const P = ${(g.kh - 1) / 2}i;
const Q = ${(g.kw - 1) / 2}i;
const HW = H * W;
const ROWS = ${u(g.rows)};
const STATE = R * ROWS * C;
const NX = ${u(nx)};

struct Step { t: u32 }
@group(0) @binding(0) var<storage, read> now: Step;

fn threadOf(wid: vec3u, li: u32) -> u32 { return (wid.x + wid.y * NX) * ${u(GROUP)} + li; }
fn inside(v: i32, size: u32) -> bool { return v >= 0 && v < i32(size); }
`;

/**
 * Forward: `forward`, one thread per state element (cell, c), computes both pre-activations over
 * the window, then s' = s + σ(z_u)(tanh(a) − s). Step t reads slot t % SLOTS of `states` and
 * writes slot t + 1 (the last step writes `last`); with keep, u and tanh(a) go to slot t of
 * `gates` and `cands`. Without keep, `states` is two slots of scratch.
 */
export function forwardWgsl(g: Geometry, o: { steps: number; keep: boolean; nx: number }): string {
  return /* wgsl */ `${header(g, o.nx)}
const STEPS = ${u(o.steps)};
const SLOTS = ${u(o.keep ? o.steps : 2)};
@group(0) @binding(1) var<storage, read> inj: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read_write> states: array<f32>;
@group(0) @binding(4) var<storage, read_write> gates: array<f32>;
@group(0) @binding(5) var<storage, read_write> cands: array<f32>;
@group(0) @binding(6) var<storage, read_write> last: array<f32>;

// σ with its argument clamped where exp would overflow (some drivers return NaN past it); tanh
// clamped to ±15, where it is ±1 in f32. A NaN argument is passed through: clamp maps it into its
// range on some drivers (lavapipe), which made a diverged replica's state finite, where the ops
// keep it NaN. NaN is told by its bits: WGSL lets a compiler assume no NaN and fold x != x away.
fn isNan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn sigmoid(x: f32) -> f32 { return select(1.0 / (1.0 + exp(clamp(-x, -88.0, 88.0))), x, isNan(x)); }
fn tanhClamped(x: f32) -> f32 { return select(tanh(clamp(x, -15.0, 15.0)), x, isNan(x)); }

@compute @workgroup_size(${GROUP})
fn forward(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) li: u32) {
  let i = threadOf(wid, li);
  if (i >= STATE) { return; }
  let t = now.t;
  let cell = i / C;
  let c = i % C;
  let r = cell / ROWS;
  let j = cell % HW;
  let image = cell - j;
  let base = (t % SLOTS) * STATE;
  var a = inj[cell * O + c];
  var zu = inj[cell * O + C + c];
  for (var di = 0u; di < KH; di++) {
    let sy = i32(j / W + di) - P;
    if (!inside(sy, H)) { continue; }
    for (var dj = 0u; dj < KW; dj++) {
      let sx = i32(j % W + dj) - Q;
      if (!inside(sx, W)) { continue; }
      let src = base + (image + u32(sy) * W + u32(sx)) * C;
      let tap = ((r * KH + di) * KW + dj) * C * O;
      for (var ci = 0u; ci < C; ci++) {
        let v = states[src + ci];
        a += v * w[tap + ci * O + c];
        zu += v * w[tap + ci * O + C + c];
      }
    }
  }
  let s = states[base + i];
  let gate = sigmoid(zu);
  let cand = tanhClamped(a);
  let next = s + gate * (cand - s);
  if (t + 1u == STEPS) { last[i] = next; } else { states[((t + 1u) % SLOTS) * STATE + i] = next; }
  ${o.keep ? 'gates[t * STATE + i] = gate;\n  cands[t * STATE + i] = cand;' : ''}
}
`;
}

/**
 * Backward, step t (from the last down): `gateGrad`, one thread per state element, turns ∂s_{t+1}
 * (in `ds`) into ∂z (scratch[0, Z)), adds it to ∂inj (scratch[Z, 2Z)) and leaves ∂s_{t+1}(1 − u) in
 * `ds`; then `convGrads` adds convᵀ(∂z, w_r) to `ds` (the first STATE_GROUPS workgroups, one
 * thread per element) and windows(s_t)ᵀ·∂z to ∂w (scratch[2Z, 2Z + |w|); one workgroup per
 * weight, its threads summing over the replica's cells).
 */
export function backwardWgsl(g: Geometry, o: { nx: number }): string {
  const stateGroups = Math.ceil((g.R * g.rows * g.C) / GROUP);
  return /* wgsl */ `${header(g, o.nx)}
const Z = R * ROWS * O;
const WEIGHTS = R * KH * KW * C * O;
const STATE_GROUPS = ${u(stateGroups)};
@group(0) @binding(1) var<storage, read> states: array<f32>;
@group(0) @binding(2) var<storage, read> gates: array<f32>;
@group(0) @binding(3) var<storage, read> cands: array<f32>;
@group(0) @binding(4) var<storage, read> w: array<f32>;
@group(0) @binding(5) var<storage, read_write> ds: array<f32>;
@group(0) @binding(6) var<storage, read_write> scratch: array<f32>;

@compute @workgroup_size(${GROUP})
fn gateGrad(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) li: u32) {
  let i = threadOf(wid, li);
  if (i >= STATE) { return; }
  let at = now.t * STATE + i;
  let dy = ds[i];
  let s = states[at];
  let gate = gates[at];
  let cand = cands[at];
  let dyu = dy * gate;
  let da = dyu * (1.0 - cand * cand);
  let dzu = (dy * (cand - s)) * (gate * (1.0 - gate));
  let z = (i / C) * O + i % C;
  scratch[z] = da;
  scratch[z + C] = dzu;
  scratch[Z + z] += da;
  scratch[Z + z + C] += dzu;
  ds[i] = dy - dyu;
}

// ∂s_t[cell, ci] += Σ over the cells whose window reads this one, and their taps, ∂z · w.
fn stateGrad(i: u32) {
  if (i >= STATE) { return; }
  let cell = i / C;
  let ci = i % C;
  let r = cell / ROWS;
  let j = cell % HW;
  let image = cell - j;
  var acc = 0.0;
  for (var di = 0u; di < KH; di++) {
    let oy = i32(j / W) - i32(di) + P;
    if (!inside(oy, H)) { continue; }
    for (var dj = 0u; dj < KW; dj++) {
      let ox = i32(j % W) - i32(dj) + Q;
      if (!inside(ox, W)) { continue; }
      let dz = (image + u32(oy) * W + u32(ox)) * O;
      let tap = (((r * KH + di) * KW + dj) * C + ci) * O;
      for (var k = 0u; k < O; k++) { acc += scratch[dz + k] * w[tap + k]; }
    }
  }
  ds[i] += acc;
}

var<workgroup> sums: array<f32, ${GROUP}>;

@compute @workgroup_size(${GROUP})
fn convGrads(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) li: u32) {
  let id = wid.x + wid.y * NX;
  if (id < STATE_GROUPS) {
    stateGrad(id * ${u(GROUP)} + li);
    return;
  }
  let k = id - STATE_GROUPS;
  if (k >= WEIGHTS) { return; }
  // ∂w_r[di, dj, ci, o] += Σ over replica r's cells of s_t at the tap's source · ∂z[cell, o]
  let o = k % O;
  let ci = (k / O) % C;
  let tap = (k / (O * C)) % (KH * KW);
  let r = k / (O * C * KH * KW);
  let di = tap / KW;
  let dj = tap % KW;
  let base = now.t * STATE;
  var acc = 0.0;
  for (var q = li; q < ROWS; q += ${u(GROUP)}) {
    let j = q % HW;
    let sy = i32(j / W + di) - P;
    let sx = i32(j % W + dj) - Q;
    if (inside(sy, H) && inside(sx, W)) {
      let cell = r * ROWS + q;
      acc += states[base + (cell - j + u32(sy) * W + u32(sx)) * C + ci] * scratch[cell * O + o];
    }
  }
  sums[li] = acc;
  workgroupBarrier();
  for (var half = ${u(GROUP / 2)}; half > 0u; half = half >> 1u) {
    if (li < half) { sums[li] += sums[li + half]; }
    workgroupBarrier();
  }
  if (li == 0u) { scratch[2u * Z + k] += sums[0]; }
}
`;
}
