/**
 * What a backend can hold, as plain data: `@learnability/backends` reports it, the config
 * checks in `@learnability/presets` compare a run's memory estimate with it.
 */
import { showValue } from './assert.js';

const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/**
 * A memory size in binary units, as limits are usually given: `4 GiB`, `128 MiB`, `15.6 GiB`.
 * Given the `limit` it is refused against, with the decimals (up to 3) it takes to read above it:
 * 2.15e9 bytes read "2 GiB" beside "at most 2 GiB", which looks as if it fits; so "2.002 GiB".
 */
export function formatBinaryBytes(bytes: number, limit?: number): string {
  if (!(bytes >= 0 && bytes < Number.POSITIVE_INFINITY))
    throw new RangeError(`formatBinaryBytes: expected a byte count ≥ 0, but got ${showValue(bytes)}`);
  const last = BINARY_UNITS.length - 1;
  let unit = 0;
  while (bytes >= 1024 ** (unit + 1) && unit < last) unit++;
  const text = bytesIn(unit, bytes, limit);
  // 1,048,575 bytes round to "1024 KiB": that is 1 MiB.
  return unit < last && Number.parseFloat(text) >= 1024 ? bytesIn(unit + 1, bytes, limit) : text;
}

/** `bytes` in BINARY_UNITS[unit], to 0.1 (whole where it rounds whole), or against `limit` as above. */
function bytesIn(unit: number, bytes: number, limit: number | undefined): string {
  const v = bytes / 1024 ** unit;
  if (limit === undefined) {
    const rounded = Math.round(v * 10) / 10;
    return `${Number.isInteger(rounded) ? rounded.toFixed(0) : rounded.toFixed(1)} ${BINARY_UNITS[unit]}`;
  }
  const l = limit / 1024 ** unit;
  let digits = v < 10 ? 1 : 0;
  while (digits < 3 && Number(v.toFixed(digits)) <= Number(l.toFixed(digits))) digits++;
  return `${v.toFixed(digits)} ${BINARY_UNITS[unit]}`;
}

/** A limit in bytes and the words that name it in an error. */
export interface MemoryLimit {
  /** Bytes. */
  bytes: number;
  /** The limit in words, e.g. `wasm holds at most 4 GiB`. */
  says: string;
}

/** The memory one backend offers a run. A missing limit is unknown and not checked. */
export interface MemoryLimits {
  /** Everything the run keeps at once: wasm's heap, the machine's memory. */
  total?: MemoryLimit;
  /** One tensor: a GPU adapter's largest buffer it can bind. */
  tensor?: MemoryLimit;
}
