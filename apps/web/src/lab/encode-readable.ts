/**
 * Percent-encoding for the address bar that keeps the characters a config path or value reads
 * best with (`model.widths=[64,64]`, `parity:2`) as they are, and the reading back.
 */

/** A UTF-16 surrogate without its other half (half of a pasted emoji): encodeURIComponent refuses it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * `value` percent-encoded, except the characters of `keep`. A lone surrogate becomes U+FFFD:
 * encodeURIComponent threw a URIError on it, and the page's link broke while the field held it.
 */
export function encodeReadable(value: string, keep: string): string {
  const kept = new Set([...keep].map(encodeURIComponent));
  return encodeURIComponent(value.replace(LONE_SURROGATE, '\uFFFD')).replace(/%[0-9A-F]{2}/g, (m) =>
    kept.has(m) ? decodeURIComponent(m) : m,
  );
}

/** A query (`a=1&b=2`, the lab's or an explorer's) read back, a literal `+` as a plus: URLSearchParams reads it as a space, and `lr=1e+3` means 1000. */
export const readQuery = (text: string): URLSearchParams => new URLSearchParams(text.replace(/\+/g, '%2B'));
