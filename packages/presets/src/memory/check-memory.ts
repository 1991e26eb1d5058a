/**
 * The memory check at the config's edge: a run whose estimate passes what the backend can hold
 * is rejected before anything is allocated, with one `path: message` naming the estimate, its
 * arithmetic, the limit and the values to lower.
 */
import { ConfigError, formatBinaryBytes } from '@learnability/core';
import type { ConfigIssue, MemoryLimits } from '@learnability/core';
import type { MemoryEstimate, MemoryFactor, MemoryPart } from './estimate-memory.js';
import { FLOAT_BYTES } from './estimate-memory.js';

const DECIMAL_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'] as const;

/** `832016` → `0.8 MB`, `2.04e11` → `204 GB`: two significant digits, one decimal below 10. */
export function formatBytes(bytes: number): string {
  let unit = 0;
  let v = bytes;
  // Switch up at 0.8 of the next unit, so 832 kB reads as 0.8 MB.
  while (v >= 800 && unit < DECIMAL_UNITS.length - 1) {
    v /= 1000;
    unit++;
  }
  const digits = v < 10 && unit > 0 ? 1 : 0;
  return `${v.toFixed(digits)} ${DECIMAL_UNITS[unit]}`;
}

/** `1e9`, `2,000`, `50,001,000`: exponent form only for round large numbers. */
function formatCount(n: number): string {
  if (n >= 1e6) {
    const e = n.toExponential().replace('e+', 'e');
    if (e.length <= 5) return e;
  }
  return n.toLocaleString('en-US');
}

/** `(1e9 × 51 × 4 B)`. */
export function formula(p: MemoryPart): string {
  return `(${[...p.factors.map((f) => f.says ?? formatCount(f.value)), `${FLOAT_BYTES} B`].join(' × ')})`;
}

/**
 * The config values behind a part that can be lowered (those above 1), the one grown most above
 * its default first: the issue's path, and the values its message tells the user to lower.
 */
function blame(p: MemoryPart): string[] {
  const lowerable = p.factors.filter((f): f is MemoryFactor & { path: string } => f.path !== undefined && f.value > 1);
  const paths = [...new Set(lowerable.sort((a, b) => (b.ratio ?? 1) - (a.ratio ?? 1)).map((f) => f.path))];
  return paths.length > 0 ? paths : ['task'];
}

/** `a`, `a or b`, `a, b or c`. */
const either = (paths: readonly string[]) =>
  paths.length === 1 ? paths[0] : `${paths.slice(0, -1).join(', ')} or ${paths[paths.length - 1]}`;

/** The issues of an estimate against a backend's limits (empty when it fits). */
export function memoryIssues(estimate: MemoryEstimate, limits: MemoryLimits): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const big = estimate.largestTensor;
  if (limits.tensor && big && big.bytes > limits.tensor.bytes) {
    const paths = blame(big);
    issues.push({
      path: paths[0] as string,
      message: `${big.what} takes ≈ ${formatBinaryBytes(big.bytes, limits.tensor.bytes)} ${formula(big)}; ${limits.tensor.says}: lower ${either(paths)}`,
    });
  }
  const top = estimate.parts[0];
  if (limits.total && top && estimate.totalBytes > limits.total.bytes) {
    const paths = blame(top);
    const path = paths[0] as string;
    const need = (p: MemoryPart): string => (p.what.endsWith('s') ? 'need' : 'needs');
    const needs =
      top.bytes > limits.total.bytes
        ? `${top.what} ${need(top)} ≈ ${formatBinaryBytes(top.bytes, limits.total.bytes)} ${formula(top)}`
        : `the run needs ≈ ${formatBinaryBytes(estimate.totalBytes, limits.total.bytes)} in all, most of it ${top.what} ≈ ${formatBinaryBytes(top.bytes)} ${formula(top)}`;
    if (!issues.some((i) => i.path === path))
      issues.push({ path, message: `${needs}; ${limits.total.says}: lower ${either(paths)}` });
  }
  return issues;
}

/** Throws a ConfigError when the estimate passes what the backend can hold. */
export function checkMemory(estimate: MemoryEstimate, limits: MemoryLimits): void {
  const issues = memoryIssues(estimate, limits);
  if (issues.length > 0) throw new ConfigError(issues);
}

/** The estimate in a few words for a run's start line: `≈ 12 MB (0.8 MB parameters, 4 replicas)`. */
export function describeEstimate(estimate: MemoryEstimate, replicas: number): string {
  const params = estimate.parts.find((p) => p.what === 'the parameters');
  const detail = [
    params ? `${formatBytes(params.bytes)} parameters` : undefined,
    `${replicas} replica${replicas === 1 ? '' : 's'}`,
  ].filter((s) => s !== undefined);
  return `≈ ${formatBytes(estimate.totalBytes)} (${detail.join(', ')})`;
}
