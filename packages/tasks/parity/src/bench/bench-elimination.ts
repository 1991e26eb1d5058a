/**
 * Timing of `solveGf2` on planted parity systems, the numbers compared against bit-packed
 * numpy (bench/gf2_numpy.py) and M4RI (bench/m4ri/) in the README. Returns data; never prints.
 */
import { assertInt, createRng, summarizeSamples } from '@learnability/core';
import { createGf2Matrix } from '../gf2/gf2-matrix.js';
import type { Gf2Matrix } from '../gf2/gf2-matrix.js';
import { parity32, solveGf2 } from '../gf2/solve.js';
import type { SolveGf2Options } from '../gf2/solve.js';

export interface BenchEliminationConfig {
  /** Numbers of unknowns n to time. Default [64, 256, 1024, 4096]. */
  sizes?: readonly number[];
  /** Rows beyond n: m = n + extra (20 makes rank n with probability ≥ 1 − 2^−20). Default 20. */
  extra?: number;
  /** Timed solves per size, after untimed warm-up solves (at least 3 and 400 ms' worth: JIT, memory growth). Default 5. */
  repeats?: number;
  /** Seed of the random systems. Default 0. */
  seed?: number;
  /** Solver options (kernel, bitsPerTable, tables). Default: `solveGf2`'s defaults. */
  solver?: SolveGf2Options;
}

export interface BenchEliminationResult {
  n: number;
  m: number;
  /** Median wall time of one `solveGf2` call, milliseconds (copy in, elimination, back-substitution). */
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Every timed solve, milliseconds, in run order. */
  samples: number[];
  /** Rank found (n unless the random system was rank-deficient). */
  rank: number;
  /** Whether the solution equals the planted secret. */
  recovered: boolean;
}

/**
 * A planted system like the M4RI and numpy drivers build: m rows of uniform bits, a uniform
 * secret s ∈ {0,1}^n (each bit 1 with probability ½), label = ⟨s, x⟩ mod 2 in column n.
 */
export function plantedSystem(n: number, m: number, seed: number): { rows: Gf2Matrix; secret: Uint8Array } {
  const rng = createRng(seed);
  const rows = createGf2Matrix(m, n + 1);
  const secretWords = new Uint32Array(rows.stride);
  const secret = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    secret[i] = rng.int(2);
    if (secret[i]) secretWords[i >>> 5] = (secretWords[i >>> 5] as number) | (1 << (i & 31));
  }
  const lastBits = n & 31;
  for (let r = 0; r < m; r++) {
    const row = r * rows.stride;
    let acc = 0;
    for (let w = 0; w < rows.stride; w++) {
      let word = rng.nextUint32();
      if (w === n >>> 5) word = lastBits === 0 ? 0 : word & ((1 << lastBits) - 1);
      rows.words[row + w] = word;
      acc ^= word & (secretWords[w] as number);
    }
    if (parity32(acc)) rows.words[row + (n >>> 5)] = (rows.words[row + (n >>> 5)] as number) | (1 << lastBits);
  }
  return { rows, secret };
}

/** Untimed solving before each size's timed solves (ms). */
const WARMUP_MS = 400;

/** Times `solveGf2` at each size; see `BenchEliminationConfig` for the defaults. */
export function benchElimination(config: BenchEliminationConfig = {}): BenchEliminationResult[] {
  const { sizes = [64, 256, 1024, 4096], extra = 20, repeats = 5, seed = 0, solver = {} } = config;
  assertInt('benchElimination: repeats', repeats, 1);
  return sizes.map((n) => {
    const m = n + extra;
    const { rows, secret } = plantedSystem(n, m, seed + n);
    // Untimed solves until V8 has optimised the JS around the kernel. Pinned to one core of the
    // project's machine, 30 ms of warm-up timed 0.111 and 0.255 ms a solve at n = 256 where
    // 400 ms gave 0.062 (n = 1024: 0.663 and 0.585 against 0.576 and 0.572).
    let result = solveGf2(rows, n, solver);
    const warmStart = performance.now();
    for (let i = 1; i < 3 || performance.now() - warmStart < WARMUP_MS; i++) result = solveGf2(rows, n, solver);
    const samples: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const t0 = performance.now();
      result = solveGf2(rows, n, solver);
      samples.push(performance.now() - t0);
    }
    const timing = summarizeSamples(samples);
    return {
      n,
      m,
      medianMs: timing.median,
      minMs: timing.min,
      maxMs: timing.max,
      samples,
      rank: result.rank,
      recovered: result.rank === n && result.solution.every((b, i) => b === secret[i]),
    };
  });
}
