/**
 * Causal multi-head attention, fused flash-style (Dao et al. 2022): the T' × T' scores are never
 * written to memory. One workgroup of 64 threads per (prompt b, head h) — workgroup (b·H + h, r) —
 * with keys (forward, ∂Q) or queries (∂K, ∂V) staged through workgroup memory in chunks of KC.
 *
 * Forward, thread per query i: an online softmax over keys j ≤ i gives O_i = Σ_j p_ij v_j and
 * lse_i = log Σ_j exp(s_ij), s_ij = q_i·k_j/√hs; O and lse are kept for the backward pass.
 * Backward (from dO in dA): Δ_i = dO_i·O_i; p_ij = exp(s_ij − lse_i); ds_ij = p_ij(dO_i·v_j − Δ_i);
 * ∂q_i = Σ_{j≤i} ds_ij k_j/√hs (thread per query), ∂k_j = Σ_{i≥j} ds_ij q_i/√hs and
 * ∂v_j = Σ_{i≥j} p_ij dO_i (thread per key), written into dQkv in qkv's column layout.
 */
import type { StepLayout } from './step-layout.js';
import { BINDINGS_WGSL, f32, u32 } from './wgsl-common.js';

/** Keys (or queries) per staged chunk: two or four KC × hs arrays stay within 16 KB. */
const chunkOf = (headSize: number) => Math.max(1, Math.min(32, Math.floor(1024 / headSize)));

/** Column of head h's q (part 0), k (1) or v (2) in a qkv row. */
const qkvCol = (part: 0 | 1 | 2) => (part === 0 ? 'h * HS' : `${u32(part)} * D + h * HS`);

function header(L: StepLayout): string {
  const kc = chunkOf(L.headSize);
  return /* wgsl */ `${BINDINGS_WGSL}
const T = ${u32(L.tokens)};
const N = ${u32(L.N)};
const D = ${u32(L.D)};
const H = ${u32(L.heads)};
const HS = ${u32(L.headSize)};
const KC = ${u32(kc)};
const SCALE: f32 = ${f32(1 / Math.sqrt(L.headSize))};
var<workgroup> S1: array<f32, ${kc * L.headSize}>;
var<workgroup> S2: array<f32, ${kc * L.headSize}>;
// Stages keys j0 … j0 + KC − 1 of head h (k into S1, v into S2).
fn stageKeys(row0: u32, h: u32, j0: u32, li: u32) {
  for (var e = li; e < KC * HS; e += 64u) {
    let j = j0 + e / HS;
    if (j < T) {
      S1[e] = ac[${u32(L.act.qkv)} + (row0 + j) * 3u * D + ${qkvCol(1)} + e % HS];
      S2[e] = ac[${u32(L.act.qkv)} + (row0 + j) * 3u * D + ${qkvCol(2)} + e % HS];
    }
  }
}
`;
}

export function attentionForwardWgsl(L: StepLayout): string {
  const qkv = u32(L.act.qkv);
  return /* wgsl */ `${header(L)}
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let r = wg.y;
  let b = wg.x / H;
  let h = wg.x % H;
  let row0 = r * N + b * T;
  for (var i0 = 0u; i0 < T; i0 += 64u) {
    let i = i0 + li;
    let live = i < T;
    var q: array<f32, HS>;
    var acc: array<f32, HS>;
    for (var c = 0u; c < HS; c++) {
      acc[c] = 0.0;
      q[c] = 0.0;
      if (live) { q[c] = ac[${qkv} + (row0 + i) * 3u * D + ${qkvCol(0)} + c]; }
    }
    var mx = -3.0e38;
    var l = 0.0;
    let keys = min(T, i0 + 64u);
    for (var j0 = 0u; j0 < keys; j0 += KC) {
      stageKeys(row0, h, j0, li);
      workgroupBarrier();
      if (live && i >= j0) {
        let count = min(KC, i - j0 + 1u);
        for (var jj = 0u; jj < count; jj++) {
          var s = 0.0;
          for (var c = 0u; c < HS; c++) { s += q[c] * S1[jj * HS + c]; }
          s = s * SCALE;
          let next = max(mx, s);
          let carry = exp(mx - next);
          let p = exp(s - next);
          l = l * carry + p;
          for (var c = 0u; c < HS; c++) { acc[c] = acc[c] * carry + p * S2[jj * HS + c]; }
          mx = next;
        }
      }
      workgroupBarrier();
    }
    if (live) {
      for (var c = 0u; c < HS; c++) { ac[${u32(L.act.att)} + (row0 + i) * D + h * HS + c] = acc[c] / l; }
      ac[${u32(L.act.lse)} + (row0 + i) * H + h] = mx + log(l);
    }
  }
}
`;
}

export function attentionBackwardWgsl(L: StepLayout): string {
  const kc = chunkOf(L.headSize);
  const [qkv, att, lse] = [u32(L.act.qkv), u32(L.act.att), u32(L.act.lse)];
  const [dA, dQkv, dvec] = [u32(L.state.dA), u32(L.state.dQkv), u32(L.state.dvec)];
  return /* wgsl */ `${header(L)}
var<workgroup> S3: array<f32, ${kc}>;
var<workgroup> S4: array<f32, ${kc}>;
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let r = wg.y;
  let b = wg.x / H;
  let h = wg.x % H;
  let row0 = r * N + b * T;
  // Δ_i = dO_i · O_i, kept for both passes below.
  for (var i = li; i < T; i += 64u) {
    var s = 0.0;
    for (var c = 0u; c < HS; c++) { s += st[${dA} + (row0 + i) * D + h * HS + c] * ac[${att} + (row0 + i) * D + h * HS + c]; }
    st[${dvec} + (row0 + i) * H + h] = s;
  }
  storageBarrier();
  workgroupBarrier();
  // ∂q: a thread per query, keys staged (k in S1, v in S2).
  for (var i0 = 0u; i0 < T; i0 += 64u) {
    let i = i0 + li;
    let live = i < T;
    var q: array<f32, HS>;
    var dO: array<f32, HS>;
    var dq: array<f32, HS>;
    var lseI = 0.0;
    var deltaI = 0.0;
    for (var c = 0u; c < HS; c++) {
      dq[c] = 0.0;
      q[c] = 0.0;
      dO[c] = 0.0;
      if (live) {
        q[c] = ac[${qkv} + (row0 + i) * 3u * D + ${qkvCol(0)} + c];
        dO[c] = st[${dA} + (row0 + i) * D + h * HS + c];
      }
    }
    if (live) {
      lseI = ac[${lse} + (row0 + i) * H + h];
      deltaI = st[${dvec} + (row0 + i) * H + h];
    }
    let keys = min(T, i0 + 64u);
    for (var j0 = 0u; j0 < keys; j0 += KC) {
      stageKeys(row0, h, j0, li);
      workgroupBarrier();
      if (live && i >= j0) {
        let count = min(KC, i - j0 + 1u);
        for (var jj = 0u; jj < count; jj++) {
          var s = 0.0;
          var dp = 0.0;
          for (var c = 0u; c < HS; c++) { s += q[c] * S1[jj * HS + c]; dp += dO[c] * S2[jj * HS + c]; }
          let p = exp(s * SCALE - lseI);
          let ds = p * (dp - deltaI);
          for (var c = 0u; c < HS; c++) { dq[c] += ds * S1[jj * HS + c]; }
        }
      }
      workgroupBarrier();
    }
    if (live) {
      for (var c = 0u; c < HS; c++) { st[${dQkv} + (row0 + i) * 3u * D + ${qkvCol(0)} + c] = dq[c] * SCALE; }
    }
  }
  // ∂k, ∂v: a thread per key, queries staged (q in S1, dO in S2, lse in S3, Δ in S4).
  for (var j0 = 0u; j0 < T; j0 += 64u) {
    let j = j0 + li;
    let live = j < T;
    var k: array<f32, HS>;
    var v: array<f32, HS>;
    var dk: array<f32, HS>;
    var dv: array<f32, HS>;
    for (var c = 0u; c < HS; c++) {
      dk[c] = 0.0;
      dv[c] = 0.0;
      k[c] = 0.0;
      v[c] = 0.0;
      if (live) {
        k[c] = ac[${qkv} + (row0 + j) * 3u * D + ${qkvCol(1)} + c];
        v[c] = ac[${qkv} + (row0 + j) * 3u * D + ${qkvCol(2)} + c];
      }
    }
    for (var i0 = j0; i0 < T; i0 += KC) {
      for (var e = li; e < KC * HS; e += 64u) {
        let i = i0 + e / HS;
        if (i < T) {
          S1[e] = ac[${qkv} + (row0 + i) * 3u * D + ${qkvCol(0)} + e % HS];
          S2[e] = st[${dA} + (row0 + i) * D + h * HS + e % HS];
        }
      }
      for (var e = li; e < KC; e += 64u) {
        if (i0 + e < T) {
          S3[e] = ac[${lse} + (row0 + i0 + e) * H + h];
          S4[e] = st[${dvec} + (row0 + i0 + e) * H + h];
        }
      }
      workgroupBarrier();
      if (live) {
        for (var ii = 0u; ii < KC; ii++) {
          let i = i0 + ii;
          if (i >= j && i < T) {
            var s = 0.0;
            var dp = 0.0;
            for (var c = 0u; c < HS; c++) { s += S1[ii * HS + c] * k[c]; dp += S2[ii * HS + c] * v[c]; }
            let p = exp(s * SCALE - S3[ii]);
            let ds = p * (dp - S4[ii]);
            for (var c = 0u; c < HS; c++) { dk[c] += ds * S1[ii * HS + c]; dv[c] += p * S2[ii * HS + c]; }
          }
        }
      }
      workgroupBarrier();
    }
    if (live) {
      for (var c = 0u; c < HS; c++) {
        st[${dQkv} + (row0 + j) * 3u * D + ${qkvCol(1)} + c] = dk[c] * SCALE;
        st[${dQkv} + (row0 + j) * 3u * D + ${qkvCol(2)} + c] = dv[c];
      }
    }
  }
}
`;
}
