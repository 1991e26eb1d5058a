/**
 * Causal multi-head self-attention, each way, in WebAssembly SIMD over the tfjs-wasm heap: the
 * wasm implementation of block-kernels.ts's ATTENTION and ATTENTION_GRAD. It reads q, k and v
 * where the qkv projection wrote them and writes the heads merged, so the split, the six head
 * transposes, the masked scores and their softmax (15 TF.js kernels forward, about 30 back) are
 * two calls. Vectors run along a head's hd floats (hd a multiple of 4); scores are scalars.
 * Pointers are in bytes; counts in floats. D = heads·hd; a sequence is T rows of qkv.
 *
 * attention(qkv, out, probs, sequences, T, heads, hd, scale)
 *   qkv (sequences·T, 3D): q, k, v side by side, head h at columns h·hd of each. For every
 *   sequence, head and query i: s_j = (q_i · k_j)·scale for j ≤ i, p = softmax(s) (the maximum
 *   subtracted, e^ by wasm-asm's expOf, then each divided by the sum, added j = 0, 1, …),
 *   out_i = Σ_j p_j v_j at columns h·hd of out (sequences·T, D). probs (sequences·heads, T, Tp),
 *   Tp = T rounded up to 4, keeps p with zeros for j > i, for the backward pass.
 *
 * attentionGrad(dy, qkv, probs, dqkv, scratch, sequences, T, heads, hd, scale)
 *   With dp_j = dy_i · v_j and ds_j = p_j (dp_j − Σ_j' p_j' dp_j')·scale: ∂q_i = Σ_j ds_j k_j,
 *   ∂k_j += ds_j q_i and ∂v_j += p_j dy_i, into dqkv (zeroed first), q, k and v as in qkv;
 *   scratch holds Tp floats.
 */
import { assembleModule, bump, F32, f32c, forUpTo, get, I32, i32c, instancePerMemory, mem, op, set, simdOp, V128, whileLoop } from '@learnability/wasm-asm';
import { EXP_LOWEST, expOf, laneSum, splat } from '@learnability/wasm-asm/simd-math';
import type { AsmFunction, Code } from '@learnability/wasm-asm';
import { vectorAt, vectorsUpTo } from './routine-code.js';

/** The routines of one instance. */
export interface AttentionRoutines {
  attention(
    qkv: number,
    out: number,
    probs: number,
    sequences: number,
    T: number,
    heads: number,
    hd: number,
    scale: number,
  ): void;
  attentionGrad(
    dy: number,
    qkv: number,
    probs: number,
    dqkv: number,
    scratch: number,
    sequences: number,
    T: number,
    heads: number,
    hd: number,
    scale: number,
  ): void;
}


/**
 * Numbers the locals of a function by name: parameters first, then i32, f32 and v128 locals, as
 * WebAssembly does; gives the numbering and the declarations.
 */
function frame(params: [string, number][], i32: string[], f32: string[], v128: string[]) {
  const names = [...params.map(([n]) => n), ...i32, ...f32, ...v128];
  const at = Object.fromEntries(names.map((n, i) => [n, i])) as Record<string, number>;
  const local = (name: string): number => {
    const i = at[name];
    if (i === undefined) throw new Error(`attention-routines: no local "${name}"`);
    return i;
  };
  const locals: [number, number][] = [[i32.length, I32], [f32.length, F32], [v128.length, V128]];
  return { local, params: params.map(([, t]) => t), locals: locals.filter(([n]) => n > 0) };
}

/** `for (i = 0; i < n; i++) body` over i32 locals. */
const count = (i: number, n: number, body: Code): Code => forUpTo(i, n, 1, body);
/** Pushes base + index·stride (i32 locals). */
const address = (base: number, index: number, stride: number): Code => [
  ...get(base), ...get(index), ...get(stride), op.mul, op.add,
];

/**
 * Sets the byte widths every routine uses: hdBytes (a head's hd floats), width (a row of out or
 * dy: D), row (a row of qkv: 3D), and tp, pRow (a row of probs: Tp floats, in floats and bytes).
 */
const widths = (L: (name: string) => number): Code => [
  ...get(L('hd')), ...i32c(4), op.mul, ...set(L('hdBytes')),
  ...get(L('hdBytes')), ...get(L('heads')), op.mul, ...set(L('width')),
  ...get(L('width')), ...i32c(3), op.mul, ...set(L('row')),
  ...get(L('T')), ...i32c(3), op.add, ...i32c(-4), op.and, ...set(L('tp')), ...get(L('tp')), ...i32c(4), op.mul, ...set(L('pRow')),
];

/**
 * For every sequence and head: sets each [pointer, base] of `heads` to base + h·hdBytes, runs
 * `query` for i < T, and moves probs on by a head; after the heads, moves each [base, rowBytes]
 * of `rows` on by T rows.
 */
const overHeads = (L: (name: string) => number, heads: [string, string][], rows: [string, string][], query: Code): Code =>
  count(L('s'), L('sequences'), [
    ...count(L('h'), L('heads'), [
      ...heads.flatMap(([pointer, base]) => [...get(L(base)), ...get(L('h')), ...get(L('hdBytes')), op.mul, op.add, ...set(L(pointer))]),
      ...count(L('i'), L('T'), query),
      ...bump(L('probs'), [...get(L('T')), ...get(L('pRow')), op.mul]),
    ]),
    ...rows.flatMap(([base, rowBytes]) => bump(L(base), [...get(L('T')), ...get(L(rowBytes)), op.mul])),
  ]);

function attentionFunction(): AsmFunction {
  const f = frame(
    [['qkv', I32], ['out', I32], ['probs', I32], ['sequences', I32], ['T', I32], ['heads', I32], ['hd', I32], ['scale', F32]],
    ['row', 'width', 'hdBytes', 'tp', 'pRow', 's', 'h', 'i', 'j', 'c', 'qh', 'oh', 'prow', 'pj', 'qi', 'kj', 'vj', 'oi', 'end'],
    ['max', 'sum', 'score'],
    ['acc', 'y', 'k'],
  );
  const L = f.local;
  // s_j = (q_i · k_j)·scale into prow[j], and the running maximum
  const score: Code = [
    ...simdOp.v128Zero, ...set(L('acc')),
    ...vectorsUpTo(L('c'), L('hdBytes'), [
      ...get(L('acc')), ...vectorAt(L('qi'), L('c')), ...vectorAt(L('kj'), L('c')), ...simdOp.f32x4Mul, ...simdOp.f32x4Add,
      ...set(L('acc')),
    ]),
    ...laneSum(L('acc')), ...get(L('scale')), op.f32Mul, ...set(L('score')),
    ...get(L('prow')), ...get(L('j')), ...i32c(4), op.mul, op.add, ...get(L('score')), ...mem.f32Store(),
    ...get(L('max')), ...get(L('score')), op.f32Max, ...set(L('max')),
  ];
  const query: Code = [
    ...address(L('qh'), L('i'), L('row')), ...set(L('qi')),
    ...address(L('probs'), L('i'), L('pRow')), ...set(L('prow')),
    ...get(L('i')), ...i32c(1), op.add, ...set(L('end')), // keys j < end = i + 1
    // scores and their maximum
    ...f32c(-Infinity), ...set(L('max')),
    ...count(L('j'), L('end'), [
      ...get(L('qh')), ...get(L('row')), ...get(L('j')), op.mul, op.add, ...get(L('width')), op.add, ...set(L('kj')),
      ...score,
    ]),
    // p_j = e^(max(s_j − max, EXP_LOWEST)), four at a time over the groups holding j ≤ i, then zeros past i
    ...i32c(0), ...set(L('j')),
    ...whileLoop([...get(L('j')), ...get(L('end')), op.ltS], [
      ...get(L('prow')), ...get(L('j')), ...i32c(4), op.mul, op.add, ...set(L('pj')),
      ...get(L('pj')), ...mem.v128Load(0, 2), ...get(L('max')), ...simdOp.f32x4Splat, ...simdOp.f32x4Sub,
      ...splat(EXP_LOWEST), ...simdOp.f32x4Max, ...set(L('y')),
      ...get(L('pj')), ...expOf(L('y'), L('k')), ...mem.v128Store(0, 2),
      ...bump(L('j'), i32c(4)),
    ]),
    ...get(L('end')), ...set(L('j')),
    ...whileLoop([...get(L('j')), ...get(L('tp')), op.ltS], [
      ...get(L('prow')), ...get(L('j')), ...i32c(4), op.mul, op.add, ...f32c(0), ...mem.f32Store(),
      ...bump(L('j'), i32c(1)),
    ]),
    // the sum, j = 0, 1, …, i; then p_j /= sum
    ...f32c(0), ...set(L('sum')),
    ...count(L('j'), L('end'), [
      ...get(L('sum')), ...get(L('prow')), ...get(L('j')), ...i32c(4), op.mul, op.add, ...mem.f32Load(), op.f32Add,
      ...set(L('sum')),
    ]),
    ...get(L('sum')), ...simdOp.f32x4Splat, ...set(L('y')),
    ...i32c(0), ...set(L('j')),
    ...whileLoop([...get(L('j')), ...get(L('end')), op.ltS], [
      ...get(L('prow')), ...get(L('j')), ...i32c(4), op.mul, op.add, ...set(L('pj')),
      ...get(L('pj')), ...get(L('pj')), ...mem.v128Load(0, 2), ...get(L('y')), ...simdOp.f32x4Div, ...mem.v128Store(0, 2),
      ...bump(L('j'), i32c(4)),
    ]),
    // out_i = Σ_j p_j v_j, hd/4 vectors
    ...address(L('oh'), L('i'), L('width')), ...set(L('oi')),
    ...vectorsUpTo(L('c'), L('hdBytes'), [
      ...simdOp.v128Zero, ...set(L('acc')),
      ...count(L('j'), L('end'), [
        ...get(L('qh')), ...get(L('row')), ...get(L('j')), op.mul, op.add, ...get(L('width')), op.add,
        ...get(L('width')), op.add, ...set(L('vj')),
        ...get(L('acc')),
        ...get(L('prow')), ...get(L('j')), ...i32c(4), op.mul, op.add, ...mem.v128Load32Splat(),
        ...vectorAt(L('vj'), L('c')), ...simdOp.f32x4Mul, ...simdOp.f32x4Add, ...set(L('acc')),
      ]),
      ...get(L('oi')), ...get(L('c')), op.add, ...get(L('acc')), ...mem.v128Store(0, 2),
    ]),
  ];
  const body: Code = [
    ...widths(L),
    ...overHeads(L, [['qh', 'qkv'], ['oh', 'out']], [['qkv', 'row'], ['out', 'width']], query),
  ];
  return { name: 'attention', params: f.params, locals: f.locals, body };
}

function attentionGradFunction(): AsmFunction {
  const f = frame(
    [
      ['dy', I32], ['qkv', I32], ['probs', I32], ['dqkv', I32], ['scratch', I32], ['sequences', I32], ['T', I32],
      ['heads', I32], ['hd', I32], ['scale', F32],
    ],
    ['row', 'width', 'hdBytes', 'tp', 'pRow', 's', 'h', 'i', 'j', 'c', 'qh', 'dh', 'yh', 'qi', 'yi', 'prow', 'kj', 'dkj', 'end'],
    ['dot', 'cs'],
    ['acc', 'w'],
  );
  const L = f.local;
  const pAt: Code = [...get(L('prow')), ...get(L('j')), ...i32c(4), op.mul, op.add];
  const scratchAt: Code = [...get(L('scratch')), ...get(L('j')), ...i32c(4), op.mul, op.add];
  /** kj = the k of key j in this head (its v is width bytes further). */
  const keyAt: Code = [...address(L('qh'), L('j'), L('row')), ...get(L('width')), op.add, ...set(L('kj'))];
  const query: Code = [
    ...address(L('qh'), L('i'), L('row')), ...set(L('qi')),
    ...address(L('yh'), L('i'), L('width')), ...set(L('yi')),
    ...address(L('probs'), L('i'), L('pRow')), ...set(L('prow')),
    ...get(L('i')), ...i32c(1), op.add, ...set(L('end')),
    // dp_j = dy_i · v_j into scratch[j]; cs = Σ_j p_j dp_j
    ...f32c(0), ...set(L('cs')),
    ...count(L('j'), L('end'), [
      ...keyAt, ...bump(L('kj'), get(L('width'))), // now at v_j
      ...simdOp.v128Zero, ...set(L('acc')),
      ...vectorsUpTo(L('c'), L('hdBytes'), [
        ...get(L('acc')), ...vectorAt(L('yi'), L('c')), ...vectorAt(L('kj'), L('c')), ...simdOp.f32x4Mul, ...simdOp.f32x4Add,
        ...set(L('acc')),
      ]),
      ...laneSum(L('acc')), ...set(L('dot')),
      ...scratchAt, ...get(L('dot')), ...mem.f32Store(),
      ...get(L('cs')), ...pAt, ...mem.f32Load(), ...get(L('dot')), op.f32Mul, op.f32Add, ...set(L('cs')),
    ]),
    // ds_j = (p_j·(dp_j − cs))·scale into scratch[j]
    ...count(L('j'), L('end'), [
      ...scratchAt,
      ...pAt, ...mem.f32Load(), ...scratchAt, ...mem.f32Load(), ...get(L('cs')), op.f32Sub, op.f32Mul,
      ...get(L('scale')), op.f32Mul,
      ...mem.f32Store(),
    ]),
    // ∂q_i = Σ_j ds_j k_j
    ...vectorsUpTo(L('c'), L('hdBytes'), [
      ...simdOp.v128Zero, ...set(L('acc')),
      ...count(L('j'), L('end'), [
        ...keyAt,
        ...get(L('acc')), ...scratchAt, ...mem.v128Load32Splat(), ...vectorAt(L('kj'), L('c')), ...simdOp.f32x4Mul,
        ...simdOp.f32x4Add, ...set(L('acc')),
      ]),
      ...address(L('dh'), L('i'), L('row')), ...get(L('c')), op.add, ...get(L('acc')), ...mem.v128Store(0, 2),
    ]),
    // ∂k_j += ds_j q_i and ∂v_j += p_j dy_i
    ...count(L('j'), L('end'), [
      ...address(L('dh'), L('j'), L('row')), ...get(L('width')), op.add, ...set(L('dkj')),
      ...scratchAt, ...mem.v128Load32Splat(), ...set(L('w')),
      ...pAt, ...mem.v128Load32Splat(), ...set(L('acc')),
      ...vectorsUpTo(L('c'), L('hdBytes'), [
        ...get(L('dkj')), ...get(L('c')), op.add,
        ...vectorAt(L('dkj'), L('c')), ...get(L('w')), ...vectorAt(L('qi'), L('c')), ...simdOp.f32x4Mul, ...simdOp.f32x4Add,
        ...mem.v128Store(0, 2),
        ...get(L('dkj')), ...get(L('width')), op.add, ...get(L('c')), op.add,
        ...get(L('dkj')), ...get(L('width')), op.add, ...get(L('c')), op.add, ...mem.v128Load(0, 2),
        ...get(L('acc')), ...vectorAt(L('yi'), L('c')), ...simdOp.f32x4Mul, ...simdOp.f32x4Add,
        ...mem.v128Store(0, 2),
      ]),
    ]),
  ];
  const body: Code = [
    ...widths(L),
    // dqkv = 0: ∂k and ∂v add up over queries
    ...get(L('sequences')), ...get(L('T')), op.mul, ...get(L('row')), op.mul, ...set(L('end')),
    ...vectorsUpTo(L('c'), L('end'), [...get(L('dqkv')), ...get(L('c')), op.add, ...simdOp.v128Zero, ...mem.v128Store(0, 2)]),
    ...overHeads(L, [['qh', 'qkv'], ['dh', 'dqkv'], ['yh', 'dy']], [['qkv', 'row'], ['dqkv', 'row'], ['dy', 'width']], query),
  ];
  return { name: 'attentionGrad', params: f.params, locals: f.locals, body };
}

/** The module's bytes, importing `env.memory` (shared for the threaded tfjs-wasm build's heap). */
export function attentionRoutinesBytes(sharedMemory: boolean): Uint8Array<ArrayBuffer> {
  return assembleModule([attentionFunction(), attentionGradFunction()], { kind: 'imported', module: 'env', name: 'memory', shared: sharedMemory });
}

/** The routines on `memory`, compiled and instantiated once per memory. */
export const attentionRoutinesOn = instancePerMemory<AttentionRoutines>(attentionRoutinesBytes);
