/**
 * The WGSL of the tiled fp32 matMul C (M, N) = A (M, K) · B (K, N), all row-major, generated per
 * shape with every size a constant.
 *
 * Tiling (the classic register-blocked SGEMM): a workgroup of 16 × 16 threads owns a 128 × 128
 * tile of C and walks K in slices of 16. Each slice of A (128 × 16, stored transposed) and of B
 * (16 × 128) is staged in workgroup memory; each thread keeps an 8 × 8 block of C in registers,
 * rows {4ty…4ty+3, 64+4ty…} and columns {4tx…4tx+3, 64+4tx…}, so one slice step is 4 vec4
 * reads from workgroup memory for 64 FMAs. The next slice's global loads are issued before the
 * current slice is used (software pipelining), and the slice loop is unrolled here in TS.
 * Split row/column halves keep a warp's vec4 reads of B on distinct banks.
 *
 * Needs N to be a multiple of 4 (B's and C's rows are vec4; A is read as scalars); M, N and K
 * need not be multiples of the tile: reads past an edge give zeros and writes past it are skipped.
 */

/** The C tile of one workgroup, and the K slice staged at once. */
export const TILE = { m: 128, n: 128, k: 16 } as const;
/** Threads per workgroup dimension (16 × 16 = 256). */
export const THREADS = 16;

export interface MatMulShape {
  M: number;
  K: number;
  N: number;
}

/** Workgroups of the dispatch: (ceil(N / 128), ceil(M / 128)). */
export function matMulGrid(s: MatMulShape): [number, number] {
  return [Math.ceil(s.N / TILE.n), Math.ceil(s.M / TILE.m)];
}

const u = (v: number) => `${v}u`;

/** One slice step: for k in the slice, the thread's 8 × 8 block += a-column ⊗ b-row. */
function sliceProducts(): string {
  const lines: string[] = [];
  for (let k = 0; k < TILE.k; k++) {
    const row = k * (TILE.m / 4);
    lines.push(
      `    a0 = As[${row}u + ty]; a1 = As[${row + 16}u + ty]; b0 = Bs[${row}u + tx]; b1 = Bs[${row + 16}u + tx];`,
    );
    const rows = ['a0.x', 'a0.y', 'a0.z', 'a0.w', 'a1.x', 'a1.y', 'a1.z', 'a1.w'];
    lines.push(
      `    ${rows.map((a, i) => `c${i}0 = fma(vec4(${a}), b0, c${i}0); c${i}1 = fma(vec4(${a}), b1, c${i}1);`).join(' ')}`,
    );
  }
  return lines.join('\n');
}

export function tiledMatMulWgsl(s: MatMulShape): string {
  const { M, K, N } = s;
  if (N % 4 !== 0)
    throw new Error(`tiled matMul: N must be a multiple of 4, but the shape is (${M}, ${K}) · (${K}, ${N})`);
  const n4 = N / 4;
  const slices = Math.ceil(K / TILE.k);
  const acc = Array.from({ length: 8 }, (_, i) => `var c${i}0 = vec4<f32>(); var c${i}1 = vec4<f32>();`).join(' ');
  // Row i of the thread's block: 4ty + i for i < 4, 64 + 4ty + (i − 4) after.
  const stores = Array.from({ length: 8 }, (_, i) => {
    const row = i < 4 ? `m0 + 4u * ty + ${u(i)}` : `m0 + 64u + 4u * ty + ${u(i - 4)}`;
    return `  if (${row} < ${u(M)}) {
    if (n0v + tx < ${u(n4)}) { C[(${row}) * ${u(n4)} + n0v + tx] = c${i}0; }
    if (n0v + tx + 16u < ${u(n4)}) { C[(${row}) * ${u(n4)} + n0v + tx + 16u] = c${i}1; }
  }`;
  }).join('\n');
  return `
@group(0) @binding(0) var<storage, read> A: array<f32>;
@group(0) @binding(1) var<storage, read> B: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> C: array<vec4<f32>>;

// As[k * 32 + i] = A[m0 + 4i … 4i + 3][k0 + k] (the slice transposed); Bs[k * 32 + j] = B[k0 + k][n0 + 4j … 4j + 3].
var<workgroup> As: array<vec4<f32>, ${(TILE.k * TILE.m) / 4}>;
var<workgroup> Bs: array<vec4<f32>, ${(TILE.k * TILE.n) / 4}>;

// Slice t's As[j] for j = k * 32 + q: rows m0 + 4q … 4q + 3 of A at column 16t + k, read as four
// scalars so that one invocation writes each whole vec4 of As (i = tid + 256p: k = i % 16, q = i / 16,
// so 16 neighbouring invocations read 16 neighbouring columns of a row). A write to one component
// of a vector may touch the whole vector (WGSL's memory model), so invocations must not share a vec4.
// B's vec4: row i / 32 of the slice, columns 4(i % 32)….
fn loadA(m0: u32, t: u32, i: u32) -> vec4<f32> {
  let col = t * ${u(TILE.k)} + i % ${u(TILE.k)};
  let row = m0 + 4u * (i / ${u(TILE.k)});
  var v = vec4<f32>();
  if (col < ${u(K)}) {
    for (var e = 0u; e < 4u; e++) {
      if (row + e < ${u(M)}) { v[e] = A[(row + e) * ${u(K)} + col]; }
    }
  }
  return v;
}
fn loadB(n0v: u32, t: u32, i: u32) -> vec4<f32> {
  let row = t * ${u(TILE.k)} + i / 32u;
  let col = n0v + i % 32u;
  if (row < ${u(K)} && col < ${u(n4)}) { return B[row * ${u(n4)} + col]; }
  return vec4<f32>();
}

@compute @workgroup_size(${THREADS}, ${THREADS})
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) tid: u32) {
  let tx = lid.x;
  let ty = lid.y;
  let m0 = wg.y * ${u(TILE.m)};
  let n0v = wg.x * ${u(TILE.n / 4)};
  ${acc}
  var a0: vec4<f32>; var a1: vec4<f32>; var b0: vec4<f32>; var b1: vec4<f32>;
  var ra0 = loadA(m0, 0u, tid); var ra1 = loadA(m0, 0u, tid + 256u);
  var rb0 = loadB(n0v, 0u, tid); var rb1 = loadB(n0v, 0u, tid + 256u);
  for (var t = 0u; t < ${u(slices)}; t++) {
    workgroupBarrier();
    // Each invocation writes whole vec4s of As: ra0 at j = k * 32 + q for i = tid (k = i % 16, q = i / 16), ra1 for i = tid + 256.
    As[(tid % ${u(TILE.k)}) * 32u + tid / ${u(TILE.k)}] = ra0;
    As[(tid % ${u(TILE.k)}) * 32u + (tid + 256u) / ${u(TILE.k)}] = ra1;
    Bs[tid] = rb0;
    Bs[tid + 256u] = rb1;
    workgroupBarrier();
    if (t + 1u < ${u(slices)}) {
      ra0 = loadA(m0, t + 1u, tid); ra1 = loadA(m0, t + 1u, tid + 256u);
      rb0 = loadB(n0v, t + 1u, tid); rb1 = loadB(n0v, t + 1u, tid + 256u);
    }
${sliceProducts()}
  }
${stores}
}
`;
}
