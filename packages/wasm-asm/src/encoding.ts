/**
 * The WebAssembly binary encoding (core spec 2.0 §5.1–5.2): LEB128 integers, vectors, names and
 * sections — the bytes every instruction immediate and module section is written in.
 */

/** Unsigned LEB128 (§5.2.2): `u32` immediates, sizes, counts and indices. `n` is a non-negative integer < 2³². */
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

/** Signed LEB128 (§5.2.2): `i32` constants. `n` is an integer in [−2³¹, 2³¹). */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) return [...out, byte];
    out.push(byte | 0x80);
  }
}

/** A vector (§5.1.3): its length, then its items. */
export const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];

/** A name (§5.2.4), ASCII only: its length, then its bytes. */
export const name = (s: string): number[] => vec([...s].map((ch) => [ch.charCodeAt(0)]));

/** A section (§5.5.2): its id, its body's size in bytes, its body. */
export const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
