/**
 * The row programs of the fused looped step: LayerNorm forward (with the input injection fused
 * into the first), LayerNorm backward, LN_f with the read-out and loss (forward and backward),
 * and the per-step tails (positions' gradient, the loss, the trainer's update rule over all of θ).
 *
 * A row program runs ROW_GROUPS workgroups of ROW_THREADS threads per replica (workgroup (g, r));
 * workgroup g takes rows g, g + G, …, and thread li the columns li, li + 64, … of each row. The
 * row-reduced parameters' gradients (γ, β, the read-out) are summed per workgroup in registers
 * and added to workgroup g's own partial-sum group in `gr`, which the update sums: no atomics, and the
 * same sums in the same order every run.
 */
import { ROW_GROUPS, ROW_THREADS } from './step-layout.js';
import type { StepLayout } from './step-layout.js';
import { BINDINGS_WGSL, f32, rowSumWgsl, u32 } from './wgsl-common.js';
import type { LoopedUpdateRule } from '../kernel-contract.js';

const cols = (L: StepLayout) => Math.ceil(L.D / ROW_THREADS);

/** `for` over this thread's columns j < D of a row, as slot c. */
const eachCol = (body: string) =>
  `for (var c = 0u; c < CPT; c++) { let j = li + c * ${u32(ROW_THREADS)}; if (j < D) { ${body} } }`;

/** A row program: `setup` once, `perRow` for each row n of replica r (`row` = r·N + n), then `after`. */
function rowProgram(L: StepLayout, parts: { setup?: string; perRow: string; after?: string }): string {
  return /* wgsl */ `${BINDINGS_WGSL}${rowSumWgsl(ROW_THREADS)}
const N = ${u32(L.N)};
const D = ${u32(L.D)};
const T = ${u32(L.tokens)};
const CPT = ${u32(cols(L))};
const G = ${u32(ROW_GROUPS)};
@compute @workgroup_size(${ROW_THREADS})
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let g = wg.x;
  let r = wg.y;
  ${parts.setup ?? ''}
  for (var n = g; n < N; n += G) {
    let row = r * N + n;
    ${parts.perRow}
  }
  ${parts.after ?? ''}
}
`;
}

/** Where workgroup g's partial sum of θ element `at + r·size + index` lives in `gr` (a WGSL expression). */
const partial = (L: StepLayout, name: string, index: string) => {
  const p = L.params[name];
  if (!p) throw new Error(`fused looped step: no parameter ${name}`);
  return `${u32(L.thetaFloats + p.at - L.rowReducedAt)} + g * ${u32(L.partialFloats)} + r * ${u32(p.size)} + ${index}`;
};

const at = (L: StepLayout, name: string) => {
  const p = L.params[name];
  if (!p) throw new Error(`fused looped step: no parameter ${name}`);
  return u32(p.at);
};

/**
 * The normalisation shared by every forward LayerNorm: reads each column's input with `load`
 * (into v), keeps μ and 1/σ at `stats`, and stores γ·x̂ + β with `store` (a statement on `o`).
 */
function normalize(L: StepLayout, eps: number, o: { load: string; stats: string; prefix: string; store: string }) {
  return /* wgsl */ `
    var v: array<f32, CPT>;
    var sum = 0.0;
    ${eachCol(`let x = ${o.load}; v[c] = x; sum += x;`)}
    let mean = rowSum(li, sum) / f32(D);
    var sq = 0.0;
    ${eachCol('let d = v[c] - mean; sq += d * d;')}
    let rs = inverseSqrt(rowSum(li, sq) / f32(D) + ${f32(eps)});
    if (li == 0u) { ac[${o.stats} + row * 2u] = mean; ac[${o.stats} + row * 2u + 1u] = rs; }
    var y: array<f32, CPT>;
    ${eachCol(`let o = (v[c] - mean) * rs * th[${at(L, `${o.prefix}.g`)} + r * D + j] + th[${at(L, `${o.prefix}.b`)} + r * D + j]; y[c] = o; ${o.store}`)}`;
}

/**
 * LN₁ of block l (for l = 0 with the injection S = Y + P + pos[t] first, written to the stream),
 * or LN₂ of block l: x̂·γ + β, and the input and μ, 1/σ kept for the backward pass.
 */
export function layerNormForwardWgsl(L: StepLayout, l: number, which: 1 | 2, eps: number): string {
  const rowD = 'row * D + j';
  const s = L.state;
  const load =
    which === 2
      ? `ac[${u32(L.act.h)} + ${rowD}]`
      : l === 0
        ? `st[${u32(s.y)} + ${rowD}] + st[${u32(s.p)} + ${rowD}] + th[${at(L, 'pos')} + r * ${u32(L.params.pos?.size ?? 0)} + (n % T) * D + j]`
        : `st[${u32(s.s)} + ${rowD}]`;
  const keep =
    which === 2 ? '' : `ac[${u32(L.act.x)} + ${rowD}] = v[c];${l === 0 ? ` st[${u32(s.s)} + ${rowD}] = v[c];` : ''}`;
  return rowProgram(L, {
    perRow: `${normalize(L, eps, {
      load,
      stats: u32(which === 1 ? L.act.stats1 : L.act.stats2),
      prefix: `h${l}.ln${which}`,
      store: `ac[${u32(which === 1 ? L.act.ln1 : L.act.ln2)} + ${rowD}] = o;`,
    })}
    ${eachCol(keep)}`,
  });
}

/** Whether row n is read out, and its target's index in y (WGSL statements defining both). */
function pickedRow(L: StepLayout): string {
  const b = 'n / T';
  return L.readout === 'interleaved'
    ? `let t = n % T; let picked = t % 2u == 0u; let yIndex = ${u32(L.yAt)} + (r * ${u32(L.B)} + ${b}) * ${u32(L.targets)} + t / 2u;`
    : `let picked = n % T == T - 1u; let yIndex = ${u32(L.yAt)} + (r * ${u32(L.B)} + ${b}) * ${u32(L.targets)};`;
}

/** 1 / (B · outputs · T): the loss averages over prompts, predictions and the loss iterations. */
const lossScale = (L: StepLayout) => 1 / (L.B * L.outputs * L.slots);

/**
 * LN_f over the blocks' output: Y_t = LN_f(S). In a loss iteration it also keeps LN_f's input and
 * stats in the last block's slot and adds each read-out row's squared error to `lossRows`.
 */
export function headForwardWgsl(L: StepLayout, eps: number, lossIteration: boolean): string {
  const rowD = 'row * D + j';
  const loss = lossIteration
    ? /* wgsl */ `
    ${eachCol(`ac[${u32(L.act.hf)} + ${rowD}] = v[c];`)}
    ${pickedRow(L)}
    if (picked) {
      var dot = 0.0;
      ${eachCol(`dot += y[c] * th[${at(L, 'readOut.w')} + r * D + j];`)}
      let err = rowSum(li, dot) + th[${at(L, 'readOut.b')} + r] - xy[yIndex];
      if (li == 0u) { st[${u32(L.state.lossRows)} + row] += err * err; }
    }`
    : '';
  return rowProgram(L, {
    perRow: `${normalize(L, eps, {
      load: `st[${u32(L.state.s)} + ${rowD}]`,
      stats: u32(L.act.statsF),
      prefix: 'lnF',
      store: `st[${u32(L.state.y)} + ${rowD}] = o;`,
    })}${loss}`,
  });
}

/**
 * LayerNorm backward on the upstream gradient held in `g[c]` (x̂ in `xh[c]`, 1/σ in `rs`):
 * dx = (1/σ)(gγ − mean(gγ) − x̂·mean(gγ·x̂)), stored with `store` (a statement on `dx`), and
 * ∂γ += g·x̂, ∂β += g summed in registers.
 */
function normBackward(L: StepLayout, prefix: string, store: string): string {
  return /* wgsl */ `
    var gg: array<f32, CPT>;
    var s1 = 0.0;
    var s2 = 0.0;
    ${eachCol(`let q = g[c] * th[${at(L, `${prefix}.g`)} + r * D + j]; gg[c] = q; s1 += q; s2 += q * xh[c]; accG[c] += g[c] * xh[c]; accB[c] += g[c];`)}
    let m1 = rowSum(li, s1) / f32(D);
    let m2 = rowSum(li, s2) / f32(D);
    ${eachCol(`let dx = rs * (gg[c] - m1 - xh[c] * m2); ${store}`)}`;
}

const ACC_SETUP = /* wgsl */ `
  var accG: array<f32, CPT>;
  var accB: array<f32, CPT>;
  for (var c = 0u; c < CPT; c++) { accG[c] = 0.0; accB[c] = 0.0; }`;

const writePartials = (L: StepLayout, prefix: string) =>
  eachCol(`gr[${partial(L, `${prefix}.g`, 'j')}] += accG[c]; gr[${partial(L, `${prefix}.b`, 'j')}] += accB[c];`);

/** x̂ of the row from the kept input at `input` and stats at `stats`. */
const loadNormalized = (input: number, stats: number) => /* wgsl */ `
    let mean = ac[${u32(stats)} + row * 2u];
    let rs = ac[${u32(stats)} + row * 2u + 1u];
    var xh: array<f32, CPT>;
    ${eachCol(`xh[c] = (ac[${u32(input)} + row * D + j] - mean) * rs;`)}`;

/**
 * LN₂ backward: ∂h = ∂S + LN₂′(dA) into dB. LN₁ backward: ∂x = dB + LN₁′(dA) into dS, or for
 * block 0, into dY (∂Y_{t−1}) and added to dInj (∂(Y + P + pos)).
 */
export function layerNormBackwardWgsl(L: StepLayout, l: number, which: 1 | 2): string {
  const s = L.state;
  const rowD = 'row * D + j';
  const store =
    which === 2
      ? `st[${u32(s.dB)} + ${rowD}] = dx + st[${u32(s.dS)} + ${rowD}];`
      : l > 0
        ? `st[${u32(s.dS)} + ${rowD}] = dx + st[${u32(s.dB)} + ${rowD}];`
        : `let d = dx + st[${u32(s.dB)} + ${rowD}]; st[${u32(s.dY)} + ${rowD}] = d; st[${u32(s.dInj)} + ${rowD}] += d;`;
  const prefix = `h${l}.ln${which}`;
  return rowProgram(L, {
    setup: ACC_SETUP,
    perRow: /* wgsl */ `${loadNormalized(which === 1 ? L.act.x : L.act.h, which === 1 ? L.act.stats1 : L.act.stats2)}
    var g: array<f32, CPT>;
    ${eachCol(`g[c] = st[${u32(s.dA)} + ${rowD}];`)}
    ${normBackward(L, prefix, store)}`,
    after: writePartials(L, prefix),
  });
}

/**
 * The head backward of a loss iteration: ∂Y_t = dY (from iteration t + 1, unless this is the
 * last) + the read-out's gradient 2(ŷ − y)/(B·outputs·T)·w at read rows; then LN_f′ into dS.
 */
export function headBackwardWgsl(L: StepLayout, incoming: boolean): string {
  const rowD = 'row * D + j';
  return rowProgram(L, {
    setup: /* wgsl */ `${ACC_SETUP}
  var accW: array<f32, CPT>;
  for (var c = 0u; c < CPT; c++) { accW[c] = 0.0; }
  var accBias = 0.0;`,
    perRow: /* wgsl */ `${loadNormalized(L.act.hf, L.act.statsF)}
    var yv: array<f32, CPT>;
    var g: array<f32, CPT>;
    ${eachCol(`yv[c] = xh[c] * th[${at(L, 'lnF.g')} + r * D + j] + th[${at(L, 'lnF.b')} + r * D + j]; g[c] = ${incoming ? `st[${u32(L.state.dY)} + ${rowD}]` : '0.0'};`)}
    ${pickedRow(L)}
    if (picked) {
      var dot = 0.0;
      ${eachCol(`dot += yv[c] * th[${at(L, 'readOut.w')} + r * D + j];`)}
      let err = rowSum(li, dot) + th[${at(L, 'readOut.b')} + r] - xy[yIndex];
      let dp = 2.0 * err * ${f32(lossScale(L))};
      ${eachCol(`g[c] += dp * th[${at(L, 'readOut.w')} + r * D + j]; accW[c] += dp * yv[c];`)}
      accBias += dp;
    }
    ${normBackward(L, 'lnF', `st[${u32(L.state.dS)} + ${rowD}] = dx;`)}`,
    after: /* wgsl */ `${writePartials(L, 'lnF')}
  ${eachCol(`gr[${partial(L, 'readOut.w', 'j')}] += accW[c];`)}
  if (li == 0u) { gr[${partial(L, 'readOut.b', '0u')}] += accBias; }`,
  });
}

/** The (R,) loss: each replica's Σ lossRows · 1/(B·outputs·T); one workgroup per replica. */
export function lossWgsl(L: StepLayout): string {
  return /* wgsl */ `${BINDINGS_WGSL}${rowSumWgsl(ROW_THREADS)}
@compute @workgroup_size(${ROW_THREADS})
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let r = wg.y;
  var s = 0.0;
  for (var n = li; n < ${u32(L.N)}; n += ${u32(ROW_THREADS)}) { s += st[${u32(L.state.lossRows)} + r * ${u32(L.N)} + n]; }
  let total = rowSum(li, s);
  if (li == 0u) { st[${u32(L.state.lossOut)} + r] = total * ${f32(lossScale(L))}; }
}
`;
}

/** ∂pos[t] = Σ_b dInj[b·T' + t] for t < T' (rows past T' keep the zero they start with). */
export function positionsGradWgsl(L: StepLayout): string {
  const pos = L.params.pos;
  if (!pos) throw new Error('fused looped step: no parameter pos');
  return /* wgsl */ `${BINDINGS_WGSL}
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let i = wg.x * 64u + li;
  let r = wg.y;
  if (i >= ${u32(L.tokens * L.D)}) { return; }
  let t = i / ${u32(L.D)};
  let j = i % ${u32(L.D)};
  var s = 0.0;
  for (var b = 0u; b < ${u32(L.B)}; b++) { s += st[${u32(L.state.dInj)} + ((r * ${u32(L.N)} + b * ${u32(L.tokens)} + t) * ${u32(L.D)}) + j]; }
  gr[${u32(pos.at)} + r * ${u32(pos.size)} + i] = s;
}
`;
}

/**
 * The trainer's update rule over every element of θ (one thread each): g is ∇θ plus its split-K
 * copies, or for row-reduced elements plus their partials; the rule's statements then update θ and
 * its slots s, slot k at k·|θ| in `mo` (kernel-contract.ts `LoopedUpdateRule`).
 */
export function updateWgsl(L: StepLayout, groupsX: number, rule: LoopedUpdateRule): string {
  const T = L.thetaFloats;
  const slots = rule.slots.map((_, k) => k);
  const declare = slots.length > 0 ? `var s: array<f32, ${slots.length}>;` : '';
  const load = slots.map((k) => `s[${k}] = mo[${u32(k * T)} + i];`).join(' ');
  const store = slots.map((k) => `mo[${u32(k * T)} + i] = s[${k}];`).join(' ');
  return /* wgsl */ `${BINDINGS_WGSL}
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let i = (wg.y * ${u32(groupsX)} + wg.x) * 256u + li;
  if (i >= ${u32(T)}) { return; }
  var g = gr[i];
  if (i >= ${u32(L.rowReducedAt)}) {
    for (var p = 0u; p < ${u32(ROW_GROUPS)}; p++) { g += gr[${u32(T)} + p * ${u32(L.partialFloats)} + i - ${u32(L.rowReducedAt)}]; }
  } else {
    for (var c = 1u; c < ${u32(L.splits)}; c++) { g += gr[${u32(L.gradCopiesAt)} + (c - 1u) * ${u32(L.rowReducedAt)} + i]; }
  }
  var theta = th[i];
  ${declare} ${load}
  {${rule.wgsl}
  }
  th[i] = theta;
  ${store}
}
`;
}
