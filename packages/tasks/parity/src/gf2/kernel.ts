/**
 * The row operations GF(2) elimination spends its time in, behind one interface so a
 * WebAssembly SIMD implementation can replace the plain-JS one. All offsets are in 32-bit words
 * into the kernel's own memory: the matrix rows first, then the lookup tables.
 */

export interface Gf2Kernel {
  /** `js` or `wasm-simd`. */
  readonly name: string;
  /** A view of at least `words` words of scratch memory (grown if needed; contents unspecified); earlier views may be invalidated. */
  memory(words: number): Int32Array;
  /** The current view of the memory, contents kept. */
  view(): Int32Array;
  /** a[dst + w] ^= a[src + w] for w in [from, to). */
  xorRow(dst: number, src: number, from: number, to: number): void;
  /** a[dst + w] = a[x + w] ^ a[y + w] for w in [from, to). */
  xorInto(dst: number, x: number, y: number, from: number, to: number): void;
  /**
   * Method of Four Russians step. For each row i in [rowStart, rowEnd) (row i at word i·stride),
   * v = the `len` bits of the row at columns col..col+len−1 (len ≤ 32); then for each table g
   * (of ⌈len / bitsPerTable⌉), the row's words [from, to) are XORed with table row
   * `(v >>> g·bitsPerTable) & (2^bitsPerTable − 1)` of table g, which starts at word
   * `tables + g · 2^bitsPerTable · stride`.
   */
  applyTables(
    rowStart: number,
    rowEnd: number,
    stride: number,
    col: number,
    len: number,
    bitsPerTable: number,
    tables: number,
    from: number,
    to: number,
  ): void;
}

/** The `len` (1..32) bits of columns col.. of the row at word `base`, as an unsigned integer. */
export function readBits(a: Int32Array, base: number, col: number, len: number): number {
  const w = base + (col >>> 5);
  const shift = col & 31;
  let v = (a[w] as number) >>> shift;
  if (shift + len > 32) v |= (a[w + 1] as number) << (32 - shift);
  return len === 32 ? v >>> 0 : v & ((1 << len) - 1);
}

/** The plain-JS kernel: typed-array loops over one growable Int32Array. */
export function createJsKernel(): Gf2Kernel {
  let a = new Int32Array(0);
  return {
    name: 'js',
    memory(words) {
      if (a.length < words) a = new Int32Array(Math.max(words, Math.ceil(a.length * 1.5)));
      return a;
    },
    view: () => a,
    xorRow(dst, src, from, to) {
      for (let w = from; w < to; w++) a[dst + w] = (a[dst + w] as number) ^ (a[src + w] as number);
    },
    xorInto(dst, x, y, from, to) {
      for (let w = from; w < to; w++) a[dst + w] = (a[x + w] as number) ^ (a[y + w] as number);
    },
    applyTables(rowStart, rowEnd, stride, col, len, bitsPerTable, tables, from, to) {
      const mask = (1 << bitsPerTable) - 1;
      const tableWords = (mask + 1) * stride;
      const count = Math.ceil(len / bitsPerTable);
      for (let i = rowStart; i < rowEnd; i++) {
        const row = i * stride;
        const v = readBits(a, row, col, len);
        if (v === 0) continue;
        const t0 = tables + (v & mask) * stride;
        if (count === 1) {
          for (let w = from; w < to; w++) a[row + w] = (a[row + w] as number) ^ (a[t0 + w] as number);
          continue;
        }
        const t1 = tables + tableWords + ((v >>> bitsPerTable) & mask) * stride;
        if (count === 2) {
          for (let w = from; w < to; w++)
            a[row + w] = (a[row + w] as number) ^ (a[t0 + w] as number) ^ (a[t1 + w] as number);
          continue;
        }
        const t2 = tables + 2 * tableWords + ((v >>> (2 * bitsPerTable)) & mask) * stride;
        if (count === 3) {
          for (let w = from; w < to; w++)
            a[row + w] = (a[row + w] as number) ^ (a[t0 + w] as number) ^ (a[t1 + w] as number) ^ (a[t2 + w] as number);
          continue;
        }
        const t3 = tables + 3 * tableWords + ((v >>> (3 * bitsPerTable)) & mask) * stride;
        for (let w = from; w < to; w++) {
          a[row + w] =
            (a[row + w] as number) ^
            (a[t0 + w] as number) ^
            (a[t1 + w] as number) ^
            (a[t2 + w] as number) ^
            (a[t3 + w] as number);
        }
      }
    },
  };
}
