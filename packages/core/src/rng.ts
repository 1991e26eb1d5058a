/**
 * Seeded pseudo-random numbers that give the same stream in Node and in every browser.
 *
 * The generator is xoshiro128** (Blackman & Vigna 2018): 128 bits of state, 32-bit output,
 * period 2^128 − 1, built only from 32-bit integer operations (`Math.imul`, shifts), so it is
 * bit-for-bit identical on every JS engine. Seeds are expanded with SplitMix32 so that nearby
 * seeds (0, 1, 2, …) give unrelated streams.
 */
import { assertInt, showValue } from './assert.js';

/** A seeded random stream. Every method advances the same underlying state. */
export interface Rng {
  /** Uniform integer in [0, 2^32). */
  nextUint32(): number;
  /** Uniform float in [0, 1) with 32 bits of randomness. */
  uniform(): number;
  /** Uniform integer in [0, n), without modulo bias. */
  int(n: number): number;
  /** Standard normal N(0, 1) (Box–Muller; pairs are cached). */
  normal(): number;
  /** Fills `out` with independent ±1 values (32 per generator call). */
  signs(out: Float32Array | Int8Array): void;
  /** Fills `out` with N(0, std²) values. */
  normals(out: Float32Array, std?: number): void;
  /** k distinct indices from [0, n), in increasing order. */
  subset(n: number, k: number): number[];
  /** A new independent stream derived from this one and a label; this stream is not advanced. */
  fork(label: string | number): Rng;
  /** A 32-bit integer that identifies the current state (for seeding other generators). */
  seed32(): number;
  /** The full generator state, to save in a checkpoint and restore with `restoreRng`. */
  state(): number[];
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** FNV-1a hash of a string to 32 bits, used to turn labels into seeds. */
export function hashString(text: string): number {
  // From plain JS every non-string hashed to the same basis: 5 and 7 gave one seed.
  if (typeof text !== 'string') throw new TypeError(`hashString: expected a string, but got ${showValue(text)}`);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

const TWO_POW_32 = 4294967296;

/** The largest n `subset` draws from (it shuffles a list of all n). */
const MAX_SUBSET_N = 2 ** 24;

class Xoshiro128 implements Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | undefined;

  constructor(seed: number) {
    if (!Number.isInteger(seed))
      throw new RangeError(
        `createRng: seed must be an integer, but got ${(seed as unknown) instanceof Xoshiro128 ? "a generator (a task's testSet takes a seed, its sample a generator)" : showValue(seed)}`,
      );
    const next = splitmix32((seed >>> 0) ^ Math.floor(seed / TWO_POW_32));
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    if ((this.a | this.b | this.c | this.d) === 0) this.d = 1;
  }

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  uniform(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > TWO_POW_32) {
      throw new RangeError(`rng.int: n must be an integer in [1, 2^32], but got ${showValue(n)}`);
    }
    // Rejection sampling: accept only draws below the largest multiple of n.
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    for (;;) {
      const r = this.nextUint32();
      if (r < limit) return r % n;
    }
  }

  normal(): number {
    if (this.spareNormal !== undefined) {
      const s = this.spareNormal;
      this.spareNormal = undefined;
      return s;
    }
    // Box–Muller; 1 − u keeps the log argument in (0, 1].
    const u = 1 - this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  signs(out: Float32Array | Int8Array): void {
    if (!(out instanceof Float32Array || out instanceof Int8Array))
      throw fillError('rng.signs', out, 'a Float32Array or an Int8Array');
    // Bit j of each 32-bit draw gives the j-th sign (1 → +1, 0 → −1). Branch-free, one draw per
    // inner loop: 3–4× faster than a per-element test, and sampling is the host's share of a step.
    const n = out.length;
    let i = 0;
    while (i < n) {
      let bits = this.nextUint32();
      const end = Math.min(i + 32, n);
      for (; i < end; i++) {
        out[i] = ((bits & 1) << 1) - 1;
        bits >>>= 1;
      }
    }
  }

  normals(out: Float32Array, std = 1): void {
    if (!(out instanceof Float32Array)) throw fillError('rng.normals', out, 'a Float32Array');
    if (!(Number.isFinite(std) && std >= 0))
      throw new RangeError(`rng.normals: std must be a finite number ≥ 0, but got ${showValue(std)}`);
    for (let i = 0; i < out.length; i++) out[i] = std * this.normal();
  }

  subset(n: number, k: number): number[] {
    // It shuffles a list of all n: past 2^24 that list alone is hundreds of MB (1e12: a raw RangeError).
    if (!Number.isInteger(n) || n < 0 || n > MAX_SUBSET_N)
      throw new RangeError(`rng.subset: n must be an integer in [0, 2^24], but got ${showValue(n)}`);
    if (!Number.isInteger(k) || k < 0 || k > n) {
      throw new RangeError(`rng.subset: k must be an integer in [0, ${n}], but got ${showValue(k)}`);
    }
    // Partial Fisher–Yates over [0, n).
    const pool = Array.from({ length: n }, (_, i) => i);
    for (let i = 0; i < k; i++) {
      const j = i + this.int(n - i);
      const tmp = pool[i] as number;
      pool[i] = pool[j] as number;
      pool[j] = tmp;
    }
    return pool.slice(0, k).sort((x, y) => x - y);
  }

  fork(label: string | number): Rng {
    // A number is taken as its 32 bits: 1.5 forked as 1, NaN as 0 and −1 as 2³² − 1, silently.
    if (typeof label === 'number' && !(Number.isInteger(label) && label >= 0 && label < TWO_POW_32))
      throw new RangeError(`rng.fork: a number label must be an integer in [0, 2^32), but got ${showValue(label)}`);
    const tag = typeof label === 'number' ? label >>> 0 : hashString(label);
    const mix = splitmix32(this.a ^ Math.imul(this.b, 31) ^ Math.imul(this.c, 17) ^ this.d ^ tag);
    return new Xoshiro128(mix() ^ Math.imul(tag, 0x27d4eb2d));
  }

  seed32(): number {
    return (this.a ^ this.b ^ this.c ^ this.d) >>> 0;
  }

  state(): number[] {
    return [this.a >>> 0, this.b >>> 0, this.c >>> 0, this.d >>> 0, this.spareNormal ?? Number.NaN];
  }

  static fromState(state: readonly number[]): Xoshiro128 {
    const [a, b, c, d, spare] = state;
    if (
      state.length !== 5 ||
      [a, b, c, d].some((w) => !Number.isInteger(w) || (w as number) < 0 || (w as number) >= TWO_POW_32)
    ) {
      throw new RangeError(
        `restoreRng: expected [a, b, c, d, spare] with 32-bit unsigned words, but got [${state.join(', ')}]`,
      );
    }
    // All zero is xoshiro's fixed point (every draw 0), which no generator's state() gives.
    if (((a as number) | (b as number) | (c as number) | (d as number)) === 0)
      throw new RangeError(
        'restoreRng: the words a, b, c, d are all 0, which no generator reaches; give a saved state()',
      );
    const spareOk = spare == null || (typeof spare === 'number' && (Number.isNaN(spare) || Number.isFinite(spare)));
    if (!spareOk)
      throw new RangeError(
        `restoreRng: the spare normal (the fifth entry) must be a finite number, or null or NaN for none, but got ${showValue(spare)}`,
      );
    const rng = new Xoshiro128(0);
    rng.a = a as number;
    rng.b = b as number;
    rng.c = c as number;
    rng.d = d as number;
    // An empty spare is NaN; JSON writes NaN as null, so null (or a missing entry) is empty too.
    rng.spareNormal = spare == null || Number.isNaN(spare) ? undefined : spare;
    return rng;
  }
}

/**
 * A fill method given no array to fill: given a length instead (`rng.normals(5)`, as numpy's
 * `normal(size=5)` reads), it returned nothing and drew nothing, without a word.
 */
function fillError(method: string, out: unknown, expected: string): TypeError {
  const hint = typeof out === 'number' ? `; for ${out} values: ${method}(new Float32Array(${out}))` : '';
  return new TypeError(
    `${method}: fills the array it is given: expected ${expected}, but got ${Array.isArray(out) ? 'a plain array' : showValue(out)}${hint}`,
  );
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * A seeded generator; the same seed gives the same stream everywhere. The seed is folded to 32 bits
 * (its low word XOR its high word), so seeds from 2³² on repeat smaller ones: 2³² gives seed 1's
 * stream, and negative ones too: −1 gives seed 0's. Config schemas bound seeds to [0, 2³¹] for
 * that reason.
 */
export function createRng(seed: number): Rng {
  return new Xoshiro128(seed);
}

/** A generator continuing exactly where the one that produced `state` (from `rng.state()`) was. */
export function restoreRng(state: readonly number[]): Rng {
  return Xoshiro128.fromState(state);
}

/**
 * One generator per replica: replica r gets `createRng(seed + r)`, so replica r of an R-replica
 * run starts exactly like a one-replica run with seed `seed + r`.
 */
export function replicaRngs(seed: number, replicas: number): Rng[] {
  // 2.5 gave 2 generators, −1 and NaN none, "2" a string's worth.
  assertInt('replicaRngs: replicas', replicas, 1);
  return Array.from({ length: replicas }, (_, r) => createRng(seed + r));
}
