/**
 * Every WGSL program of one fused looped step, with its workgroup grid: 7 per block forward
 * (LN₁ with the injection, qkv, attention, proj + residual, LN₂, fc, GELU + out + residual),
 * 7 per block backward (each linear layer's ∂input and ∂W, ∂b as one dispatch; the two
 * LayerNorms; attention), one head per iteration each way, and 5 per step (read-in both ways,
 * the positions' gradient, the loss, the trainer's update rule over all of θ).
 *
 * Matrices are row-major per replica: a weight w (R, K, N) has replica r's element (k, n) at
 * at + r·K·N + k·N + n; an activation field (R, N, w) has row m of replica r at (r·N + m)·w.
 */
import { dispatchGrid } from '@learnability/core';
import { ROW_GROUPS } from './step-layout.js';
import type { StepLayout } from './step-layout.js';
import { attentionBackwardWgsl, attentionForwardWgsl } from './wgsl-attention.js';
import { u32 } from './wgsl-common.js';
import { matmulWgsl, splitsFor, tilesOf } from './wgsl-matmul.js';
import type { MatProblem } from './wgsl-matmul.js';
import {
  headBackwardWgsl,
  headForwardWgsl,
  layerNormBackwardWgsl,
  layerNormForwardWgsl,
  lossWgsl,
  positionsGradWgsl,
  updateWgsl,
} from './wgsl-rows.js';
import type { LoopedUpdateRule } from '../kernel-contract.js';

export interface Program {
  code: string;
  grid: [number, number];
}

export interface BlockPrograms {
  forward: Program[];
  backward: Program[];
}

export interface StepPrograms {
  readIn: Program;
  blocks: BlockPrograms[];
  head: Program;
  headLoss: Program;
  /** Head backward of the last iteration (nothing from a later one) and of the others. */
  headBackLast: Program;
  headBack: Program;
  readInBack: Program;
  positions: Program;
  loss: Program;
  update: Program;
}

/** An offset in θ of replica r's weight `name` (K × N per replica): a WGSL expression. */
function weight(L: StepLayout, name: string): { w: string; b: string } {
  const w = L.params[`${name}.w`];
  const b = L.params[`${name}.b`];
  if (!w || !b) throw new Error(`fused looped step: no parameter ${name}`);
  return { w: `${u32(w.at)} + r * ${u32(w.size)}`, b: `${u32(b.at)} + r * ${u32(b.size)}` };
}

/** Where split s's share of ∇θ goes: ∇θ itself for s = 0, else its copy s (WGSL, on `s`). */
const gradCopy = (L: StepLayout) =>
  L.splits === 1 ? '0u' : `select(${u32(L.gradCopiesAt)} + (s - 1u) * ${u32(L.rowReducedAt)}, 0u, s == 0u)`;

/** ∂W, ∂b += [x, 1]ᵀ·∂y over the N rows, split along them when W alone is few workgroups. */
function weightGradient(L: StepLayout, p: Omit<MatProblem, 'splits'>): MatProblem {
  return { ...p, splits: splitsFor(p.K, tilesOf(p), L.splits) };
}

/** Row m (or k) of an (R, N, width) field: `(r·N + row)·width`. */
const rowOf = (L: StepLayout, row: string, width: number) => `(r * ${u32(L.N)} + ${row}) * ${u32(width)}`;

/**
 * A linear layer y = x·W + b of `name` (fan-in K, fan-out Nout) in both directions: the forward
 * product with the caller's input load and epilogue, and the backward pair — ∂x = ∂y·Wᵀ (stored
 * by `storeDx`) and ∂W, ∂b += [x, 1]ᵀ·∂y (a ones column of x gives ∂b as W's row K).
 */
function linearBackward(
  L: StepLayout,
  name: string,
  K: number,
  Nout: number,
  io: { x: (row: string, col: string) => string; dy: (row: string, col: string) => string; storeDx: string },
): Program {
  const { w, b } = weight(L, name);
  const dx: MatProblem = {
    M: L.N,
    N: K,
    K: Nout,
    a: `return ${io.dy('m', 'k')};`,
    aAlongK: true,
    b: `return th[${w} + n * ${u32(Nout)} + k];`,
    bAlongN: false,
    c: io.storeDx,
  };
  const dw = weightGradient(L, {
    M: K + 1,
    N: Nout,
    K: L.N,
    a: `if (m == ${u32(K)}) { return 1.0; } return ${io.x('k', 'm')};`,
    aAlongK: false,
    b: `return ${io.dy('k', 'n')};`,
    bAlongN: true,
    c: `let at = ${gradCopy(L)}; if (m == ${u32(K)}) { gr[at + ${b} + n] += v; } else { gr[at + ${w} + m * ${u32(Nout)} + n] += v; }`,
  });
  return matmul(L, [dx, dw]);
}

function matmul(L: StepLayout, problems: MatProblem[]): Program {
  return { code: matmulWgsl(problems), grid: [problems.reduce((n, p) => n + tilesOf(p), 0), L.R] };
}

function blockPrograms(L: StepLayout, l: number, eps: number): BlockPrograms {
  const { D, F } = L;
  const s = L.state;
  const A = L.act;
  const rows: [number, number] = [ROW_GROUPS, L.R];
  const attention: [number, number] = [L.B * L.heads, L.R];
  const lin = (name: string) => weight(L, `h${l}.${name}`);
  const forwardLinear = (
    name: string,
    K: number,
    Nout: number,
    a: string,
    store: (value: string) => string,
  ): Program => {
    const { w, b } = lin(name);
    return matmul(L, [
      {
        M: L.N,
        N: Nout,
        K,
        a: `return ${a};`,
        aAlongK: true,
        b: `return th[${w} + k * ${u32(Nout)} + n];`,
        bAlongN: true,
        c: store(`v + th[${b} + n]`),
      },
    ]);
  };
  const at = (field: number, width: number, row: string, col: string) =>
    `${u32(field)} + ${rowOf(L, row, width)} + ${col}`;
  const forward: Program[] = [
    { code: layerNormForwardWgsl(L, l, 1, eps), grid: rows },
    forwardLinear('qkv', D, 3 * D, `ac[${at(A.ln1, D, 'm', 'k')}]`, (v) => `ac[${at(A.qkv, 3 * D, 'm', 'n')}] = ${v};`),
    { code: attentionForwardWgsl(L), grid: attention },
    forwardLinear(
      'proj',
      D,
      D,
      `ac[${at(A.att, D, 'm', 'k')}]`,
      (v) => `ac[${at(A.h, D, 'm', 'n')}] = ${v} + st[${at(s.s, D, 'm', 'n')}];`,
    ),
    { code: layerNormForwardWgsl(L, l, 2, eps), grid: rows },
    forwardLinear('fc', D, F, `ac[${at(A.ln2, D, 'm', 'k')}]`, (v) => `ac[${at(A.u, F, 'm', 'n')}] = ${v};`),
    forwardLinear(
      'out',
      F,
      D,
      `gelu(ac[${at(A.u, F, 'm', 'k')}])`,
      (v) => `st[${at(s.s, D, 'm', 'n')}] = ${v} + ac[${at(A.h, D, 'm', 'n')}];`,
    ),
  ];
  const backward: Program[] = [
    linearBackward(L, `h${l}.out`, F, D, {
      x: (row, col) => `gelu(ac[${at(A.u, F, row, col)}])`,
      dy: (row, col) => `st[${at(s.dS, D, row, col)}]`,
      storeDx: `st[${at(s.dU, F, 'm', 'n')}] = v * geluGrad(ac[${at(A.u, F, 'm', 'n')}]);`,
    }),
    linearBackward(L, `h${l}.fc`, D, F, {
      x: (row, col) => `ac[${at(A.ln2, D, row, col)}]`,
      dy: (row, col) => `st[${at(s.dU, F, row, col)}]`,
      storeDx: `st[${at(s.dA, D, 'm', 'n')}] = v;`,
    }),
    { code: layerNormBackwardWgsl(L, l, 2), grid: rows },
    linearBackward(L, `h${l}.proj`, D, D, {
      x: (row, col) => `ac[${at(A.att, D, row, col)}]`,
      dy: (row, col) => `st[${at(s.dB, D, row, col)}]`,
      storeDx: `st[${at(s.dA, D, 'm', 'n')}] = v;`,
    }),
    { code: attentionBackwardWgsl(L), grid: attention },
    linearBackward(L, `h${l}.qkv`, D, 3 * D, {
      x: (row, col) => `ac[${at(A.ln1, D, row, col)}]`,
      dy: (row, col) => `st[${at(s.dQkv, 3 * D, row, col)}]`,
      storeDx: `st[${at(s.dA, D, 'm', 'n')}] = v;`,
    }),
    { code: layerNormBackwardWgsl(L, l, 1), grid: rows },
  ];
  return { forward, backward };
}

/** x's token (row m of the trained prefix, column k) in xy: prompts are T long, rows use T' of them. */
const xOf = (L: StepLayout, row: string, col: string) =>
  `xy[((r * ${u32(L.B)} + ${row} / ${u32(L.tokens)}) * ${u32(L.promptTokens)} + ${row} % ${u32(L.tokens)}) * ${u32(L.tokenSize)} + ${col}]`;

export function stepPrograms(L: StepLayout, eps: number, maxGroups: number, rule: LoopedUpdateRule): StepPrograms {
  const rows: [number, number] = [ROW_GROUPS, L.R];
  const readIn = weight(L, 'readIn');
  const d = L.tokenSize;
  const updateGrid = dispatchGrid(Math.ceil(L.thetaFloats / 256), maxGroups);
  return {
    readIn: matmul(L, [
      {
        M: L.N,
        N: L.D,
        K: d,
        a: `return ${xOf(L, 'm', 'k')};`,
        aAlongK: true,
        b: `return th[${readIn.w} + k * ${u32(L.D)} + n];`,
        bAlongN: true,
        c: `st[${u32(L.state.p)} + ${rowOf(L, 'm', L.D)} + n] = v + th[${readIn.b} + n];`,
      },
    ]),
    blocks: Array.from({ length: L.layers }, (_, l) => blockPrograms(L, l, eps)),
    head: { code: headForwardWgsl(L, eps, false), grid: rows },
    headLoss: { code: headForwardWgsl(L, eps, true), grid: rows },
    headBackLast: { code: headBackwardWgsl(L, false), grid: rows },
    headBack: { code: headBackwardWgsl(L, true), grid: rows },
    readInBack: matmul(L, [
      weightGradient(L, {
        M: d + 1,
        N: L.D,
        K: L.N,
        a: `if (m == ${u32(d)}) { return 1.0; } return ${xOf(L, 'k', 'm')};`,
        aAlongK: false,
        b: `return st[${u32(L.state.dInj)} + ${rowOf(L, 'k', L.D)} + n];`,
        bAlongN: true,
        c: `let at = ${gradCopy(L)}; if (m == ${u32(d)}) { gr[at + ${readIn.b} + n] += v; } else { gr[at + ${readIn.w} + m * ${u32(L.D)} + n] += v; }`,
      }),
    ]),
    positions: { code: positionsGradWgsl(L), grid: [Math.ceil((L.tokens * L.D) / 64), L.R] },
    loss: { code: lossWgsl(L), grid: [1, L.R] },
    update: { code: updateWgsl(L, updateGrid[0], rule), grid: updateGrid },
  };
}
