/**
 * GF(2) Gaussian elimination as a `StreamLearner` (docs/papers.md §1): it reads the parity sample
 * stream one example at a time, keeps an echelon basis of what it has seen, and settles on its
 * solution once the basis has rank n. Each example costs at most rank row XORs over
 * ⌈(n+1)/32⌉ words — O(n · n/32) — and the basis holds n · ⌈(n+1)/32⌉ words. Whether it has
 * *learned* is the run's call, as for the networks: its test accuracy must reach the target.
 *
 * Not noise-robust: a flipped label is just another linear equation, so the basis absorbs it and
 * the solution comes out wrong. After full rank it keeps checking every new example against the
 * solution; an example that contradicts it (or one that reduces to 0 = 1 before full rank) is
 * counted in `inconsistentSamples`, and `diagnosis()` then names label noise. Noisy parity needs
 * other algorithms (e.g. BKW); this is the noiseless bar.
 */
import type { StreamLearner } from '@learnability/core';
import { defineSchema, LearnabilityError, resolveOptions } from '@learnability/core';
import type { ParityEncoding } from '../parity-sampling.js';
import { SPARSE_PARITY_SCHEMA } from '../sparse-parity.js';
import { packExample, wordsPerRow } from './gf2-matrix.js';
import { parity32 } from './solve.js';

/** The learner reads a sparse-parity stream: its options are that task's `n` and `encoding`, with their specs. */
export const ELIMINATION_SCHEMA = defineSchema({
  n: SPARSE_PARITY_SCHEMA.fields.n,
  encoding: SPARSE_PARITY_SCHEMA.fields.encoding,
});

/** `createEliminationLearner`'s config: the stream's input bits and its encoding (`ELIMINATION_SCHEMA`). */
export interface EliminationLearnerConfig {
  /** Input bits n of the stream. */
  n: number;
  /** How the stream encodes x: `pm1` (±1, bit = (1 − x)/2) or `01`; labels are ±1 either way. */
  encoding?: ParityEncoding;
}

/**
 * GF(2) Gaussian elimination as a `StreamLearner`: it reads a parity stream one example at a time,
 * keeps an echelon basis, and settles once the basis has rank n. Not noise-robust: a flipped label
 * can make the solution wrong; examples seen to contradict the others are counted in
 * `inconsistentSamples`.
 */
export interface EliminationLearner extends StreamLearner {
  readonly n: number;
  /** Rank of the basis so far; the learner settles at rank n. */
  readonly rank: number;
  /** Examples that contradict the earlier ones: 0 = 1 after reduction, or, after full rank, a label the solution gets wrong (label noise). */
  readonly inconsistentSamples: number;
  /** `{ rank, inconsistentSamples }`. */
  counts(): { rank: number; inconsistentSamples: number };
  /** "the samples are inconsistent (label noise?)" once any example contradicted the others, else null. */
  diagnosis(): string | null;
  /** A solution consistent with the basis (free variables 0): s_i = 1 ⇔ i ∈ S once rank = n. */
  solution(): Uint8Array;
  /** ±1 predictions Π_{i: s_i = 1} x_i for x (N · n) row-major. */
  predict(x: Float32Array): Float32Array;
}

const ctz = (x: number): number => 31 - Math.clz32(x & -x);

/** An elimination learner with an empty basis. Throws `ConfigError` on invalid config. */
export function createEliminationLearner(config: EliminationLearnerConfig): EliminationLearner {
  // Required, though the schema has a default (for configs, where presets fills it from the task):
  // a learner of another n than its stream's would silently solve the wrong system.
  if (config?.n === undefined)
    throw new LearnabilityError(
      "gf2-elimination.n: the stream's input bits are required, e.g. createEliminationLearner({ n: 50 })",
    );
  const { n, encoding } = resolveOptions('gf2-elimination', ELIMINATION_SCHEMA, config);
  const stride = wordsPerRow(n + 1);
  const labelWord = n >>> 5;
  const labelBit = n & 31;
  const lastXMask = (1 << labelBit) - 1; // x bits of the label's word (0 when n is a multiple of 32)
  const basis = new Int32Array(n * stride); // row p: the basis vector whose lowest set bit is p
  const pivotMask = new Int32Array(stride); // bit p set ⇔ basis row p exists
  const row = new Int32Array(stride);
  /** A batch's rows, packed before any is absorbed (`observe`); grown to the largest batch seen. */
  let packed = new Int32Array(0);
  let rank = 0;
  let samplesSeen = 0;
  let settledAtSample: number | null = null;
  let inconsistentSamples = 0;
  let cached: Int32Array | null = null;

  /** Reduces `row` by the basis; returns its lowest set x bit, or −1 if the x part is now zero. */
  const reduce = (): number => {
    for (let w = 0; w <= labelWord; w++) {
      for (
        let hits = (row[w] as number) & (pivotMask[w] as number);
        hits !== 0;
        hits = (row[w] as number) & (pivotMask[w] as number)
      ) {
        const src = (w * 32 + ctz(hits)) * stride;
        for (let v = w; v < stride; v++) row[v] = (row[v] as number) ^ (basis[src + v] as number);
      }
      const x = w === labelWord ? (row[w] as number) & lastXMask : (row[w] as number);
      if (x !== 0) return w * 32 + ctz(x);
    }
    return -1;
  };

  /** Back-substitution over the basis, last pivot first; packed bits of s. */
  const solutionWords = (): Int32Array => {
    if (cached) return cached;
    const s = new Int32Array(stride);
    for (let p = n - 1; p >= 0; p--) {
      if ((((pivotMask[p >>> 5] as number) >>> (p & 31)) & 1) === 0) continue;
      let acc = 0;
      for (let w = p >>> 5; w < stride; w++) acc ^= (basis[p * stride + w] as number) & (s[w] as number);
      if ((((basis[p * stride + labelWord] as number) >>> labelBit) & 1) ^ parity32(acc))
        s[p >>> 5] = (s[p >>> 5] as number) | (1 << (p & 31));
    }
    return (cached = s);
  };

  const checkRows = (what: string, x: Float32Array, rows: number): void => {
    if (x.length !== rows * n)
      throw new RangeError(`${what}: x has ${x.length} entries, expected ${rows} · n = ${rows * n}`);
  };

  const predict = (x: Float32Array): Float32Array => {
    const rows = x.length / n;
    // A whole number of rows of n inputs (the count is the caller's; "0 · n" named none).
    if (!Number.isInteger(rows))
      throw new RangeError(
        `eliminationLearner.predict: x has ${x.length} entries, not a multiple of n = ${n} (rows of n inputs)`,
      );
    const s = solutionWords();
    const out = new Float32Array(rows);
    for (let r = 0; r < rows; r++) {
      packExample(x, r * n, n, 1, encoding, row, 0);
      let acc = 0;
      for (let w = 0; w < stride; w++) acc ^= (row[w] as number) & (s[w] as number);
      out[r] = parity32(acc) ? -1 : 1;
    }
    return out;
  };

  return {
    name: 'gf2-elimination',
    n,
    get rank() {
      return rank;
    },
    get samplesSeen() {
      return samplesSeen;
    },
    get settledAtSample() {
      return settledAtSample;
    },
    get inconsistentSamples() {
      return inconsistentSamples;
    },
    counts: () => ({ rank, inconsistentSamples }),
    diagnosis: () => (inconsistentSamples > 0 ? 'the samples are inconsistent (label noise?)' : null),
    observe(x, y) {
      checkRows('eliminationLearner.observe', x, y.length);
      // Every row packed (and checked) before any is absorbed: a bad value refuses the whole batch
      // and leaves the basis and counters as they were.
      if (packed.length < y.length * stride) packed = new Int32Array(y.length * stride);
      for (let r = 0; r < y.length; r++) packExample(x, r * n, n, y[r] as number, encoding, packed, r * stride);
      for (let r = 0; r < y.length; r++) {
        samplesSeen++;
        row.set(packed.subarray(r * stride, (r + 1) * stride));
        if (rank === n) {
          // The solution is unique: check the example against it (label bit vs s·x).
          const s = solutionWords();
          const label = ((row[labelWord] as number) >>> labelBit) & 1;
          row[labelWord] = (row[labelWord] as number) & lastXMask;
          let acc = 0;
          for (let w = 0; w < stride; w++) acc ^= (row[w] as number) & (s[w] as number);
          if (parity32(acc) !== label) inconsistentSamples++;
          continue;
        }
        const q = reduce();
        if (q < 0) {
          if ((((row[labelWord] as number) >>> labelBit) & 1) === 1) inconsistentSamples++;
          continue;
        }
        basis.set(row, q * stride);
        pivotMask[q >>> 5] = (pivotMask[q >>> 5] as number) | (1 << (q & 31));
        cached = null;
        if (++rank === n) settledAtSample = samplesSeen;
      }
      return rank === n;
    },
    solution() {
      const s = solutionWords();
      return Uint8Array.from({ length: n }, (_, i) => ((s[i >>> 5] as number) >>> (i & 31)) & 1);
    },
    predict,
    accuracy(x, y) {
      checkRows('eliminationLearner.accuracy', x, y.length);
      const yhat = predict(x);
      let correct = 0;
      for (let r = 0; r < y.length; r++) if ((yhat[r] as number) * (y[r] as number) > 0) correct++;
      return y.length === 0 ? Number.NaN : correct / y.length;
    },
    describe: () => ({ name: 'gf2-elimination', n, encoding }),
    saveState(): EliminationState {
      const pivots = Array.from({ length: n }, (_, p) => p).filter(
        (p) => (((pivotMask[p >>> 5] as number) >>> (p & 31)) & 1) === 1,
      );
      const rows = pivots.flatMap((p) => Array.from(basis.subarray(p * stride, (p + 1) * stride)));
      return { n, samplesSeen, settledAtSample, inconsistentSamples, pivots, rows };
    },
    restoreState(state) {
      const s = checkState(state, n, stride);
      basis.fill(0);
      pivotMask.fill(0);
      s.pivots.forEach((p, i) => {
        basis.set(s.rows.slice(i * stride, (i + 1) * stride), p * stride);
        pivotMask[p >>> 5] = (pivotMask[p >>> 5] as number) | (1 << (p & 31));
      });
      rank = s.pivots.length;
      samplesSeen = s.samplesSeen;
      settledAtSample = s.settledAtSample;
      inconsistentSamples = s.inconsistentSamples;
      cached = null;
    },
  };
}

/** The learner's checkpointed state: counters and the basis rows by pivot (row words as int32). */
interface EliminationState {
  n: number;
  samplesSeen: number;
  settledAtSample: number | null;
  inconsistentSamples: number;
  /** Pivot columns, ascending; row i of `rows` is the basis vector of pivots[i]. */
  pivots: number[];
  /** pivots.length · ⌈(n+1)/32⌉ words, row after row. */
  rows: number[];
}

function checkState(state: unknown, n: number, stride: number): EliminationState {
  const s = state as Partial<EliminationState> | null;
  const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
  const ok =
    typeof s === 'object' &&
    s !== null &&
    s.n === n &&
    isInt(s.samplesSeen) &&
    isInt(s.inconsistentSamples) &&
    (s.settledAtSample === null || isInt(s.settledAtSample)) &&
    Array.isArray(s.pivots) &&
    s.pivots.every((p, i) => isInt(p) && p >= 0 && p < n && (i === 0 || p > (s.pivots?.[i - 1] as number))) &&
    Array.isArray(s.rows) &&
    s.rows.length === s.pivots.length * stride &&
    s.rows.every(isInt);
  if (!ok)
    throw new Error(
      `gf2-elimination: the saved state does not fit a learner with n = ${n}; resume with the run's own checkpoint`,
    );
  return s as EliminationState;
}
