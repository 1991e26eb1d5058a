/** A plain text table with aligned columns (numbers right-aligned). */
export function formatTable(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length)));
  const numeric = header.map((_, c) =>
    rows.every((r) => typeof r[c] === 'number' || /^[-+]?[\d.,]+( ?[a-zµ%×/]+)?$/i.test(String(r[c] ?? ''))),
  );
  const line = (r: string[]) =>
    r
      .map((v, c) => (numeric[c] && cells.indexOf(r) > 0 ? v.padStart(widths[c] ?? 0) : v.padEnd(widths[c] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(cells[0] as string[]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join(
    '\n',
  );
}

/** Formats a number with a sensible number of digits for tables and log lines. */
export function fmt(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (value !== 0 && (Math.abs(value) >= 1e5 || Math.abs(value) < 1e-3)) return value.toExponential(2);
  return Number(value.toFixed(digits)).toString();
}

/**
 * An accuracy in [0, 1] to `digits` decimals, rounded down, for accuracies read against a learned
 * threshold: it reads 1 only when perfect, and never reaches a threshold it missed (a mean of 0.9496
 * reads 0.949, not 0.95). The 1e-4 (in units of the last digit) keeps a float32 accuracy at its
 * value: 0.57 is stored as 0.56999999.
 */
export function fmtAccuracy(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  const unit = 10 ** digits;
  return fmt(Math.floor(value * unit + 1e-4) / unit, digits);
}

/**
 * A number to `digits` significant digits (exponent form outside [1e-3, 1e5)): for values whose
 * scale varies, such as INAL estimates, where `fmt`'s fixed decimals show 0.0025 as 0.003.
 */
export function fmtSig(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (value !== 0 && (Math.abs(value) >= 1e5 || Math.abs(value) < 1e-3)) return value.toExponential(digits - 1);
  return Number(value.toPrecision(digits)).toString();
}

/**
 * A markdown table; `align` gives each column's alignment, `l` or `r` (default: every column `---`,
 * no alignment).
 */
export function markdownTable(header: readonly string[], rows: readonly (string | number)[][], align = ''): string {
  const line = (r: readonly (string | number)[]) => `| ${r.join(' | ')} |`;
  const rule = header.map((_, c) => (align[c] === 'r' ? '---:' : '---')).join('|');
  return [line(header), `|${rule}|`, ...rows.map(line)].join('\n');
}
