/**
 * One WGSL program for one or two matrix products per replica, C = A·B, each with its own loads
 * and store (so prologues — GELU on load, a transposed read, a ones row for bias gradients — and
 * epilogues — bias, residual, GELU′, accumulation — cost no extra pass over memory). Two products
 * in one dispatch is how a layer's backward runs ∂/∂input and ∂/∂W side by side: they read the
 * same upstream gradient and write different buffers.
 *
 * Tiling: 64 × 64 output tiles, one workgroup of 256 threads each computing 4 × 4 outputs, over
 * K in slices of 16 staged in workgroup memory (2 × 4 KB). Workgroup (x, y): x is the tile,
 * counting the first product's tiles first (a split-K product's tiles split by split), y the replica.
 */
import { BINDINGS_WGSL, GELU_WGSL, u32 } from './wgsl-common.js';

export interface MatProblem {
  /** C is M × N; the products' inner size is K (all per replica). */
  M: number;
  N: number;
  K: number;
  /** Body of `fn(r, m, k) -> f32`: A[m][k] of replica r (m < M and k < K hold). */
  a: string;
  /** Whether consecutive k of A are adjacent in memory (the tile load follows that order). */
  aAlongK: boolean;
  /** Body of `fn(r, k, n) -> f32`: B[k][n]. */
  b: string;
  /** Whether consecutive n of B are adjacent in memory. */
  bAlongN: boolean;
  /**
   * Body of `fn(r, m, n, s, v: f32)`: stores C[m][n] = v (m < M and n < N hold), or with
   * `splits` > 1, adds split s's share of it (the caller keeps one copy of C per split).
   */
  c: string;
  /** Splits of K, each its own workgroups (split-K: more workgroups when M × N is small). Default 1. */
  splits?: number;
}

const TILE = 64;
const SLICE = 16;

/** Workgroups of one product: its 64 × 64 tiles times its K splits. */
export const tilesOf = (p: MatProblem): number => Math.ceil(p.M / TILE) * Math.ceil(p.N / TILE) * (p.splits ?? 1);

/** Rows of K one split covers: whole 16-slices. */
const chunkOf = (p: MatProblem) => Math.ceil(p.K / (p.splits ?? 1) / SLICE) * SLICE;

/** How many splits give a product of `tiles` tiles about `target` workgroups, each a slice of K or more. */
export function splitsFor(K: number, tiles: number, max: number, target = 256): number {
  return Math.max(1, Math.min(max, Math.ceil(target / tiles), Math.floor(K / SLICE)));
}

/** The tile function of problem i: loads, the 4 × 4 register tile and the guarded store. */
function tileFn(p: MatProblem, i: number): string {
  const tilesN = Math.ceil(p.N / TILE);
  // Thread e of 256 loads 4 elements of each 16 × 64 slice; index order follows memory order.
  const aIdx = p.aAlongK ? 'let kk = idx % 16u; let mm = idx / 16u;' : 'let mm = idx % 64u; let kk = idx / 64u;';
  const bIdx = p.bAlongN ? 'let nn = idx % 64u; let kk = idx / 64u;' : 'let kk = idx % 16u; let nn = idx / 16u;';
  return /* wgsl */ `
fn a${i}(r: u32, m: u32, k: u32) -> f32 { ${p.a} }
fn b${i}(r: u32, k: u32, n: u32) -> f32 { ${p.b} }
fn c${i}(r: u32, m: u32, n: u32, s: u32, v: f32) { ${p.c} }
fn tile${i}(r: u32, tile: u32, li: u32) {
  let s = tile / ${u32(tilesOf({ ...p, splits: 1 }))};
  let t = tile % ${u32(tilesOf({ ...p, splits: 1 }))};
  let m0 = (t / ${u32(tilesN)}) * 64u;
  let n0 = (t % ${u32(tilesN)}) * 64u;
  let kStart = s * ${u32(chunkOf(p))};
  let kEnd = min(${u32(p.K)}, kStart + ${u32(chunkOf(p))});
  let tx = li % 16u;
  let ty = li / 16u;
  var acc: array<f32, 16>;
  for (var e = 0u; e < 16u; e++) { acc[e] = 0.0; }
  for (var k0 = kStart; k0 < kEnd; k0 += 16u) {
    for (var e = 0u; e < 4u; e++) {
      let idx = li + e * 256u;
      {
        ${aIdx}
        let m = m0 + mm;
        let k = k0 + kk;
        var v = 0.0;
        if (m < ${u32(p.M)} && k < kEnd) { v = a${i}(r, m, k); }
        As[kk * 64u + mm] = v;
      }
      {
        ${bIdx}
        let n = n0 + nn;
        let k = k0 + kk;
        var v = 0.0;
        if (n < ${u32(p.N)} && k < kEnd) { v = b${i}(r, k, n); }
        Bs[kk * 64u + nn] = v;
      }
    }
    workgroupBarrier();
    for (var kk = 0u; kk < 16u; kk++) {
      let a = vec4<f32>(As[kk * 64u + ty * 4u], As[kk * 64u + ty * 4u + 1u], As[kk * 64u + ty * 4u + 2u], As[kk * 64u + ty * 4u + 3u]);
      let b = vec4<f32>(Bs[kk * 64u + tx * 4u], Bs[kk * 64u + tx * 4u + 1u], Bs[kk * 64u + tx * 4u + 2u], Bs[kk * 64u + tx * 4u + 3u]);
      for (var q = 0u; q < 4u; q++) {
        acc[q * 4u] += a[q] * b.x;
        acc[q * 4u + 1u] += a[q] * b.y;
        acc[q * 4u + 2u] += a[q] * b.z;
        acc[q * 4u + 3u] += a[q] * b.w;
      }
    }
    workgroupBarrier();
  }
  for (var q = 0u; q < 4u; q++) {
    for (var w = 0u; w < 4u; w++) {
      let m = m0 + ty * 4u + q;
      let n = n0 + tx * 4u + w;
      if (m < ${u32(p.M)} && n < ${u32(p.N)}) { c${i}(r, m, n, s, acc[q * 4u + w]); }
    }
  }
}
`;
}

/** The program for `problems` (one or two); dispatch it over (Σ tiles, R) workgroups. */
export function matmulWgsl(problems: readonly MatProblem[]): string {
  if (problems.length < 1 || problems.length > 2) throw new Error('matmulWgsl: one or two products per program');
  const first = tilesOf(problems[0] as MatProblem);
  const body =
    problems.length === 1
      ? 'tile0(wg.y, wg.x, li);'
      : `if (wg.x < ${u32(first)}) { tile0(wg.y, wg.x, li); } else { tile1(wg.y, wg.x - ${u32(first)}, li); }`;
  return /* wgsl */ `${BINDINGS_WGSL}${GELU_WGSL}
var<workgroup> As: array<f32, ${TILE * SLICE}>;
var<workgroup> Bs: array<f32, ${TILE * SLICE}>;
${problems.map(tileFn).join('')}
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  ${body}
}
`;
}
