import { ConfigError, hashString } from '@learnability/core';
import type { ConfigIssue } from '@learnability/core';
import { applyOverrides } from '../overrides.js';
import { validateConfig } from '../validate.js';
import type { ResolvedConfig } from '../validate.js';
import type { SweepSpec } from './spec.js';

/** One cell of the grid: one network (one seed) of one config. */
export interface SweepJob {
  /** Stable: the same spec gives the same ids, whatever machine expands it. */
  id: string;
  /** `task.n=20 trainer=sgd seed=3` */
  label: string;
  /** The value of every axis for this job, by axis path. */
  values: Record<string, unknown>;
  /** Validated, with run.replicas = 1 and this job's seed. */
  config: ResolvedConfig;
}

const PARTS = ['task', 'model', 'trainer'];

/** 64 bits of FNV-1a (two salted 32-bit hashes) as 16 hex digits. */
export function stableHash(value: unknown): string {
  const text = JSON.stringify(value);
  return [hashString(`a:${text}`), hashString(`b:${text}`)].map((h) => h.toString(16).padStart(8, '0')).join('');
}

function assignment(path: string, value: unknown): string {
  if (path === 'seed') return `run.seed=${JSON.stringify(value)}`;
  if (PARTS.includes(path)) return `${path}=${JSON.stringify(typeof value === 'string' ? { name: value } : value)}`;
  return `${path}=${JSON.stringify(value)}`;
}

/**
 * An axis value as a sweep shows it in labels, tables and plot series: a string as is; a part by
 * its name, followed by its options where it has any (`sgd{"lr":0.1}`), so that two values of one
 * part name stay two rows and two lines; else JSON.
 */
export const showAxisValue = (v: unknown): string => {
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null && 'name' in v) {
    const { name, ...options } = v as { name: unknown };
    return Object.keys(options).length > 0 ? `${String(name)}${JSON.stringify(options)}` : String(name);
  }
  return JSON.stringify(v);
};

/**
 * The cartesian product of the axes in the order written (the last axis varies fastest), each
 * cell validated. A sweep's unit is one network: run.replicas is set to 1 per job, and jobs that
 * differ only in seed are packed back into replicas by `packJobs`.
 */
export function expandSweep(spec: SweepSpec): SweepJob[] {
  const jobs: SweepJob[] = [];
  const issues: ConfigIssue[] = [];
  const seen = new Map<string, { label: string; values: Record<string, unknown> }>(); // by job id
  const walk = (axis: number, values: Record<string, unknown>) => {
    if (axis === spec.axes.length) {
      const label = spec.axes.map((a) => `${a.path}=${showAxisValue(values[a.path])}`).join(' ');
      const sets = [...spec.axes.map((a) => assignment(a.path, values[a.path])), 'run.replicas=1'];
      // A part replaced by name drops the base part's options (they may not apply to it).
      const base = structuredClone(spec.base);
      for (const a of spec.axes) if (PARTS.includes(a.path)) delete base[a.path];
      try {
        const config = validateConfig(applyOverrides(base, sets));
        const id = stableHash({ sweep: spec.name, config });
        // Two cells with one config would be one run listed twice: the axes that differ between
        // them change nothing (a later axis overwrites them, or no run reads them).
        const first = seen.get(id);
        if (first === undefined) seen.set(id, { label, values });
        else {
          const lost = spec.axes.filter((a) => JSON.stringify(values[a.path]) !== JSON.stringify(first.values[a.path]));
          issues.push({
            path: `[${label}]`,
            message: `the same run as [${first.label}]: ${lost.map((a) => a.path).join(', ')} changes nothing here (a later axis overwrites it, or no run reads it); remove that axis or the one that overwrites it`,
          });
        }
        jobs.push({ id, label, values: { ...values }, config });
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        for (const i of e.issues) issues.push({ path: `[${label}] ${i.path}`, message: i.message });
      }
      return;
    }
    const a = spec.axes[axis];
    if (a === undefined) return;
    for (const v of a.values) walk(axis + 1, { ...values, [a.path]: v });
  };
  walk(0, {});
  // The first 20 cells' problems, and how many more there are: a large grid repeats one problem.
  const more = issues.length - 20;
  if (issues.length)
    throw new ConfigError([
      ...issues.slice(0, 20),
      ...(more > 0 ? [{ path: '…', message: `and ${more} more problems in other cells` }] : []),
    ]);
  return jobs;
}
