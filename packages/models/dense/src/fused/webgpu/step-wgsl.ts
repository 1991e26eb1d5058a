/**
 * The WGSL of one fused dense SGD step, generated per run with every size and offset a constant
 * (step-layout.ts says where things live). Three entry points, dispatched in order in one
 * compute pass; per replica r, with s_l the layer's scale and decay = 1 − lr·weightDecay:
 *
 *   rows     one workgroup per (replica, ROWS batch rows): the forward pass through every layer,
 *            a_l = relu(s_l · a_{l−1} W_l + b_l) (the readout ŷ = a_{L−1} has no ReLU), the loss
 *            and δ_{L−1} = ∂loss/∂ŷ, then the δ chain δ_{l−1} = s_l · δ_l W_lᵀ ⊙ [a_{l−1} > 0].
 *            Rows are independent, so no step needs another workgroup's results: any depth is
 *            one dispatch. The layer input is staged in workgroup memory, CHUNK features at a time.
 *   weights  one workgroup per (layer, replica, TK × TJ tile of W_l with b_l as row fan_in):
 *            W_l' = decay·W_l − lr·s_l · a_{l−1}ᵀ δ_l  and  b_l' = decay·b_l − lr · 1ᵀ δ_l,
 *            summing over the batch from staged blocks of a_{l−1} and δ_l. Layers are
 *            independent here too: one dispatch.
 *   loss     one thread per replica: the mean of its loss elements.
 */
import { DENSE_LOSSES } from '../losses.js';
import type { DenseSgdStepLoss } from '../losses.js';
import { CHUNK, ROWS, WORKGROUP } from './step-layout.js';
import type { StepLayout } from './step-layout.js';

export interface StepConstants {
  scales: number[];
  lr: number;
  weightDecay: number;
  loss: DenseSgdStepLoss;
  /** Workgroups per dispatch dimension of each entry point (dispatchGrid's nx). */
  nx: { rows: number; weights: number; loss: number };
}

/** A WGSL f32 literal that round-trips the JS number's float32 value. */
const f32 = (v: number) => {
  const s = Math.fround(v).toPrecision(9);
  return /[.e]/.test(s) ? s : `${s}.0`;
};
const u = (v: number) => `${v}u`;

const BINDINGS = `
@group(0) @binding(0) var<storage, read> xy: array<f32>;
@group(0) @binding(1) var<storage, read> theta: array<f32>;
@group(0) @binding(2) var<storage, read_write> thetaNext: array<f32>;
@group(0) @binding(3) var<storage, read_write> act: array<f32>;
@group(0) @binding(4) var<storage, read_write> delta: array<f32>;
@group(0) @binding(5) var<storage, read_write> lossElems: array<f32>;
@group(0) @binding(6) var<storage, read_write> lossOut: array<f32>;
`;

/**
 * Stages CHUNK columns from `start` of this workgroup's ROWS rows of a (R, B, width) block into
 * `stage` (ROWS × CHUNK, zeros past the width), between barriers. `read(index)` reads the block.
 */
function stageChunk(start: string, width: number, read: (index: string) => string): string {
  return `
      workgroupBarrier();
      for (var i = tid; i < ${u(ROWS * CHUNK)}; i += ${u(WORKGROUP)}) {
        let c = ${start} + i % ${u(CHUNK)};
        stage[i] = select(0.0, ${read(`(r * B + rowOf(row0, i / ${u(CHUNK)})) * ${u(width)} + min(c, ${u(width - 1)})`)}, c < ${u(width)});
      }
      workgroupBarrier();`;
}

/** Reads the layer-l input of example (r, row) feature k: x for l = 0, else a_{l−1}. */
function inputAt(s: StepLayout, l: number, index: string): string {
  return l === 0 ? `xy[${index}]` : `act[${u(s.actAt[l - 1] as number)} + ${index}]`;
}

function forwardLayer(s: StepLayout, c: StepConstants, l: number): string {
  const [fanIn, fanOut] = [s.sizes[l] as number, s.sizes[l + 1] as number];
  const relu = l < s.layers - 1;
  return `
  // layer ${l}: (ROWS, ${fanIn}) · (${fanIn}, ${fanOut})${relu ? ', ReLU' : ' (readout)'}
  for (var j0 = 0u; j0 < ${u(fanOut)}; j0 += ${u(WORKGROUP)}) {
    let j = j0 + tid;
    // Zeroed explicitly: a bare \`var acc: array<…>;\` in a loop kept the last pass's sums on Dawn.
    var acc = array<f32, ${ROWS}>();
    for (var k0 = 0u; k0 < ${u(fanIn)}; k0 += ${u(CHUNK)}) {${stageChunk('k0', fanIn, (i) => inputAt(s, l, i))}
      if (j < ${u(fanOut)}) {
        let kEnd = min(${u(CHUNK)}, ${u(fanIn)} - k0);
        for (var kk = 0u; kk < kEnd; kk++) {
          let w = theta[${u(s.wAt[l] as number)} + (r * ${u(fanIn)} + k0 + kk) * ${u(fanOut)} + j];
          for (var q = 0u; q < ${u(ROWS)}; q++) { acc[q] = fma(stage[q * ${u(CHUNK)} + kk], w, acc[q]); }
        }
      }
    }
    if (j < ${u(fanOut)}) {
      let bias = theta[${u(s.bAt[l] as number)} + r * ${u(fanOut)} + j];
      for (var q = 0u; q < ${u(ROWS)}; q++) {
        if (row0 + q < B) {
          let z = ${f32(c.scales[l] as number)} * acc[q] + bias;
          // ReLU as select, not max(z, 0.0): WGSL's max returns 0 for a NaN z, and a diverged replica must stay NaN.
          act[${u(s.actAt[l] as number)} + (r * B + row0 + q) * ${u(fanOut)} + j] = ${relu ? 'select(z, 0.0, z < 0.0)' : 'z'};
        }
      }
    }
  }
  storageBarrier();
  workgroupBarrier();`;
}

function lossAndOutputDelta(s: StepLayout, c: StepConstants): string {
  const out = s.sizes[s.layers] as number;
  const last = s.actAt[s.layers - 1] as number;
  return `
  // loss and δ_{L−1} = ∂(mean loss)/∂ŷ
  for (var i = tid; i < ${u(ROWS * out)}; i += ${u(WORKGROUP)}) {
    let q = i / ${u(out)};
    if (row0 + q < B) {
      let e = (r * B + row0 + q) * ${u(out)} + i % ${u(out)};
      let p = act[${u(last)} + e];
      let t = xy[${u(s.yAt)} + e];
      var value = 0.0;
      var d = 0.0;
      ${DENSE_LOSSES[c.loss].wgsl}
      lossElems[e] = value;
      delta[${u(last)} + e] = d * ${f32(1 / (s.B * out))};
    }
  }
  storageBarrier();
  workgroupBarrier();`;
}

function deltaLayer(s: StepLayout, c: StepConstants, l: number): string {
  const [fanIn, fanOut] = [s.sizes[l] as number, s.sizes[l + 1] as number];
  return `
  // δ_${l - 1} = s · δ_${l} W_${l}ᵀ ⊙ [a_${l - 1} > 0]: (ROWS, ${fanOut}) · (${fanOut}, ${fanIn})
  for (var k0 = 0u; k0 < ${u(fanIn)}; k0 += ${u(WORKGROUP)}) {
    let k = k0 + tid;
    var acc = array<f32, ${ROWS}>();
    for (var jc = 0u; jc < ${u(fanOut)}; jc += ${u(CHUNK)}) {${stageChunk('jc', fanOut, (i) => `delta[${u(s.actAt[l] as number)} + ${i}]`)}
      if (k < ${u(fanIn)}) {
        let jEnd = min(${u(CHUNK)}, ${u(fanOut)} - jc);
        for (var jj = 0u; jj < jEnd; jj++) {
          let w = theta[${u(s.wAt[l] as number)} + (r * ${u(fanIn)} + k) * ${u(fanOut)} + jc + jj];
          for (var q = 0u; q < ${u(ROWS)}; q++) { acc[q] = fma(stage[q * ${u(CHUNK)} + jj], w, acc[q]); }
        }
      }
    }
    if (k < ${u(fanIn)}) {
      for (var q = 0u; q < ${u(ROWS)}; q++) {
        if (row0 + q < B) {
          let e = (r * B + row0 + q) * ${u(fanIn)} + k;
          delta[${u(s.actAt[l - 1] as number)} + e] = select(0.0, ${f32(c.scales[l] as number)} * acc[q], act[${u(s.actAt[l - 1] as number)} + e] > 0.0);
        }
      }
    }
  }
  storageBarrier();
  workgroupBarrier();`;
}

function weightLayer(s: StepLayout, c: StepConstants, l: number): string {
  const [fanIn, fanOut] = [s.sizes[l] as number, s.sizes[l + 1] as number];
  const t = s.tilings[l];
  if (!t) throw new Error(`dense step: no tiling for layer ${l}`);
  const tiles = t.tilesK * t.tilesJ;
  const decay = 1 - c.lr * c.weightDecay;
  return `
  if (id < ${u(t.first + s.R * tiles)}) {
    // layer ${l}: tiles of ${t.tk} (k, with k = ${fanIn} the bias) × ${t.tj} (j), batch in blocks of ${t.bc}
    let local = id - ${u(t.first)};
    let r = local / ${u(tiles)};
    let k0 = (local % ${u(tiles)}) / ${u(t.tilesJ)} * ${u(t.tk)};
    let j0 = (local % ${u(t.tilesJ)}) * ${u(t.tj)};
    let k = k0 + tid / ${u(t.tj)};
    let j = j0 + tid % ${u(t.tj)};
    var acc = 0.0;
    for (var q0 = 0u; q0 < B; q0 += ${u(t.bc)}) {
      workgroupBarrier();
      for (var i = tid; i < ${u(t.bc * t.tk)}; i += ${u(WORKGROUP)}) {
        let row = q0 + i / ${u(t.tk)};
        let kIn = k0 + i % ${u(t.tk)};
        var v = select(0.0, 1.0, kIn == ${u(fanIn)});
        if (kIn < ${u(fanIn)} && row < B) { v = ${inputAt(s, l, `(r * B + row) * ${u(fanIn)} + kIn`)}; }
        stageA[i] = select(0.0, v, row < B);
      }
      for (var i = tid; i < ${u(t.bc * t.tj)}; i += ${u(WORKGROUP)}) {
        let row = q0 + i / ${u(t.tj)};
        let jIn = j0 + i % ${u(t.tj)};
        stageD[i] = select(0.0, delta[${u(s.actAt[l] as number)} + (r * B + min(row, B - 1u)) * ${u(fanOut)} + min(jIn, ${u(fanOut - 1)})], row < B && jIn < ${u(fanOut)});
      }
      workgroupBarrier();
      for (var q = 0u; q < ${u(t.bc)}; q++) {
        acc = fma(stageA[q * ${u(t.tk)} + tid / ${u(t.tj)}], stageD[q * ${u(t.tj)} + tid % ${u(t.tj)}], acc);
      }
    }
    if (j < ${u(fanOut)} && k < ${u(fanIn)}) {
      let i = ${u(s.wAt[l] as number)} + (r * ${u(fanIn)} + k) * ${u(fanOut)} + j;
      thetaNext[i] = ${f32(decay)} * theta[i] - ${f32(c.lr * (c.scales[l] as number))} * acc;
    } else if (j < ${u(fanOut)} && k == ${u(fanIn)}) {
      let i = ${u(s.bAt[l] as number)} + r * ${u(fanOut)} + j;
      thetaNext[i] = ${f32(decay)} * theta[i] - ${f32(c.lr)} * acc;
    }
    return;
  }`;
}

/** The whole module: bindings, constants and the three entry points. */
export function denseStepWgsl(s: StepLayout, c: StepConstants): string {
  const out = s.sizes[s.layers] as number;
  const forward = Array.from({ length: s.layers }, (_, l) => forwardLayer(s, c, l)).join('');
  const backward = Array.from({ length: s.layers - 1 }, (_, i) => deltaLayer(s, c, s.layers - 1 - i)).join('');
  const weights = Array.from({ length: s.layers }, (_, l) => weightLayer(s, c, l)).join('');
  return `${BINDINGS}
const B: u32 = ${u(s.B)};
var<workgroup> stage: array<f32, ${ROWS * CHUNK}>;
var<workgroup> stageA: array<f32, 2048>;
var<workgroup> stageD: array<f32, 1024>;

// Row q of this workgroup's block, or its first row where the block runs past the batch (read, never used).
fn rowOf(row0: u32, q: u32) -> u32 { return select(row0, row0 + q, row0 + q < B); }

@compute @workgroup_size(${WORKGROUP})
fn rows(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) tid: u32) {
  let id = wg.x + wg.y * ${u(c.nx.rows)};
  if (id >= ${u(s.rowGroups)}) { return; }
  let r = id / ${u(s.rowTiles)};
  let row0 = (id % ${u(s.rowTiles)}) * ${u(ROWS)};
${forward}
${lossAndOutputDelta(s, c)}
${backward}
}

@compute @workgroup_size(${WORKGROUP})
fn weights(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) tid: u32) {
  let id = wg.x + wg.y * ${u(c.nx.weights)};
${weights}
}

@compute @workgroup_size(64)
fn loss(@builtin(global_invocation_id) gid: vec3<u32>) {
  let r = gid.x;
  if (r >= ${u(s.R)}) { return; }
  var sum = 0.0;
  for (var e = 0u; e < ${u(s.B * out)}; e++) { sum += lossElems[r * ${u(s.B * out)} + e]; }
  lossOut[r] = sum * ${f32(1 / (s.B * out))};
}
`;
}
