/**
 * WebAssembly binary encoding (core spec §5.1–5.5): LEB128 integers, vectors, names, sections.
 * The packages that build small SIMD kernels from JS at load time (GF(2) elimination in
 * @learnability/parity, the fused dense step in @learnability/backends) share these; their
 * instructions and modules stay with them.
 */

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 (i32 constants). */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) return [...out, byte];
    out.push(byte | 0x80);
  }
}

/** A vector: its length, then its items. */
export const wasmVec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
/** A name (ASCII). */
export const wasmName = (s: string): number[] => wasmVec([...s].map((ch) => [ch.charCodeAt(0)]));
/** A section: id, byte size, body. */
export const wasmSection = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
