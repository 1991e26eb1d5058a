/**
 * A named experiment as data: its flags (a schema), the list of training runs it needs (raw run
 * configs, each with a key), optional in-process measurements, and a pure report over the runs'
 * summaries. The runs go through the sweep's local worker pool (`--workers N`), one record per run
 * under <out>/records; a re-run skips finished records and resumes stopped ones, as `sweep` does.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { setupBackend } from '@learnability/backends';
import type { RunSummary } from '@learnability/core';
import type { RunRecord } from '@learnability/experiment';
import { readRecordFile } from '@learnability/experiment/node';
import { KERNELS, stableHash, validateConfig } from '@learnability/presets';
import type { PackedRun, ResolvedConfig } from '@learnability/presets';
import type { Io } from '../io.js';
import { fmt } from '../render/table.js';
import type { PackedRunTask } from '../sweep/execute-packed-run.js';
import { runLocalPool } from '../sweep/local-pool.js';
import { flagHelp, parseSchemaFlags } from './flags.js';
import type { FlagSpecs, FlagValues } from './flags.js';
import type { NamedExperiment } from './index.js';
import { figuresDir, writeOutputs } from './outputs.js';
import type { Figure } from './outputs.js';

/** Flags every data experiment takes, after its own (which may restate one with another default). */
export const COMMON_FLAGS = {
  seed: { type: 'int', default: 0, min: 0, doc: 'seed of targets, inits, data and networks' },
  backend: { type: 'enum', values: ['cpu', 'wasm', 'webgpu'], default: 'wasm', doc: 'backend of every run' },
  workers: { type: 'int', default: 1, min: 1, doc: 'worker threads the runs share (the sweep pool)' },
  threads: {
    type: 'int?',
    default: null,
    min: 1,
    doc: 'wasm threads per run (default: 1 with several workers, else all cores)',
  },
  out: { type: 'string', default: '', doc: 'run records, results JSON, tables and figures (empty: runs/<experiment>)' },
  docs: { type: 'bool', default: false, doc: 'write figures and tables into docs/figures and docs/reproductions' },
  figures: { type: 'string', default: '', doc: 'figures folder (empty: --out, or docs/figures with --docs)' },
  table: {
    type: 'string',
    default: '',
    doc: 'markdown tables (empty: <out>/<experiment>-table.md, or docs/reproductions/… with --docs)',
  },
} as const satisfies FlagSpecs;

export type Flags<F extends FlagSpecs> = FlagValues<F & typeof COMMON_FLAGS>;

/** One training run: a key the report looks it up by, and its raw run config (validated here). */
export interface RunPlan {
  key: string;
  config: Record<string, unknown>;
  /** Wall-clock budget, checked at each evaluation; past it the run stops (status `stopped`) (s). */
  maxSeconds?: number;
}

/** What a report gives: markdown tables, figures, and the results object (given the figure paths). */
export interface Report {
  tables: string;
  figures: Figure[];
  results(figures: string[]): object;
}

export interface ReportInput<F extends FlagSpecs, M> {
  flags: Flags<F>;
  /** Each run's summary and its whole record, by its key. */
  summaries: ReadonlyMap<string, RunSummary>;
  records: ReadonlyMap<string, RunRecord>;
  measured: M;
  /** The command line after the name, the backend used and the experiment's wall time (s). */
  argv: readonly string[];
  backend: string;
  wallSeconds: number;
}

export interface DataExperiment<F extends FlagSpecs, M> {
  name: string;
  summary: string;
  /** The help text's paragraph above the flags. */
  about: string;
  flags: F;
  /** What is wrong across flags (`--sizes: every size must be ≥ k`), once each flag is valid. */
  check?(flags: Flags<F>): string[];
  /** The training runs, in the order they are queued. */
  runs(flags: Flags<F>): RunPlan[];
  /** Work done in this process besides the runs (on `--backend`), given the runs' validated configs by key. */
  measure(flags: Flags<F>, io: Io, configs: ReadonlyMap<string, ResolvedConfig>): Promise<M>;
  report(input: ReportInput<F, M>): Report;
}

/** A data experiment as a `learnability run <name>` entry. */
export function namedExperiment<F extends FlagSpecs, M>(def: DataExperiment<F, M>): NamedExperiment {
  // An experiment may restate a common flag with its own default (rcnn-vs-elimination: --threads 1).
  const common = Object.fromEntries(Object.entries(COMMON_FLAGS).filter(([name]) => !(name in def.flags)));
  const specs = { ...def.flags, ...common } as F & typeof COMMON_FLAGS;
  const json = { json: { type: 'bool', default: false, doc: 'print the results object on stdout' } } as const;
  const help = `learnability run ${def.name} [options]\n\n${def.about}\n\n${flagHelp({ ...specs, ...json })}`;
  const run = async (argv: string[], io: Io): Promise<number> => {
    const command = `run ${def.name}`;
    const parsed = parseSchemaFlags(command, argv, specs, (f) => def.check?.(f as Flags<F>) ?? []);
    if (parsed.help) return (io.out(help), 0);
    const flags = parsed.values as Flags<F>;
    const log = (line: string) => (parsed.json ? io.err(line) : io.out(line));
    const out = flags.out || `runs/${def.name}`;
    const plans = def.runs(flags);
    const runs = new Map<string, PackedRun>();
    for (const plan of plans) {
      const config = validateConfig(plan.config);
      const id = `${def.name}-${stableHash({ key: plan.key, config, maxSeconds: plan.maxSeconds })}`;
      runs.set(plan.key, { id, config, jobIds: [plan.key] });
    }
    const budgets = new Map(plans.map((p) => [p.key, p.maxSeconds]));
    const started = performance.now();
    const backend = await setupBackend(flags.backend, { kernels: KERNELS });
    const measured = await def.measure(flags, io, new Map([...runs].map(([key, r]) => [key, r.config])));
    const threads = flags.threads ?? (flags.workers > 1 ? 1 : availableParallelism());
    const recordPath = (r: PackedRun) => join(out, 'records', `${r.id}.jsonl`);
    const tasks: PackedRunTask[] = [...runs].map(([key, r]) => {
      const maxSeconds = budgets.get(key);
      return { run: r, recordPath: recordPath(r), threads, ...(maxSeconds === undefined ? {} : { maxSeconds }) };
    });
    let done = 0;
    const keyOf = new Map([...runs].map(([key, r]) => [r.id, key]));
    const outcomes = await runLocalPool(tasks, flags.workers, {
      onEval: (id, step, total) =>
        io.status(`runs ${done}/${tasks.length} done; ${keyOf.get(id)} step ${step}/${total}`),
      onDone: (id, { summary: s, how }) => {
        done++;
        io.status('');
        log(
          `[${done}/${tasks.length}] ${keyOf.get(id)}: ${how === 'skipped' ? 'already done' : s.status}, ${Math.round(s.successRate * 100)}% learned, test acc ${fmt(s.testAccuracy, 3)}, ${fmt(s.wallSeconds, 1)} s`,
        );
      },
    });
    const summaries = new Map(
      [...runs].flatMap(([key, r]) => {
        const o = outcomes.get(r.id);
        return o ? [[key, o.summary] as const] : [];
      }),
    );
    const records = new Map(
      [...runs].filter(([key]) => summaries.has(key)).map(([key, r]) => [key, readRecordFile(recordPath(r))]),
    );
    const wallSeconds = (performance.now() - started) / 1000;
    const report = def.report({ flags, summaries, records, measured, argv, backend: backend.name, wallSeconds });
    const tablePath =
      flags.table || (flags.docs ? `docs/reproductions/${def.name}-table.md` : join(out, `${def.name}-table.md`));
    const resultsPath = join(out, `${def.name}.json`);
    const { figures, results } = await writeOutputs({
      figuresAt: figuresDir({ docs: flags.docs, ...(flags.figures ? { figures: flags.figures } : {}) }, out),
      figures: report.figures,
      results: report.results,
      resultsPath,
      indent: 1,
      tables: { path: tablePath, text: report.tables },
    });
    log(`\n${report.tables}`);
    log(
      `${tasks.length} runs on ${Math.min(flags.workers, tasks.length)} worker(s), ${fmt(wallSeconds / 60, 1)} min on ${backend.name} (shared machine: timings are noisy); figures: ${figures.join(', ')}; table: ${tablePath}; results: ${resultsPath}`,
    );
    if (parsed.json) io.out(JSON.stringify(results));
    return 0;
  };
  return { name: def.name, summary: def.summary, help, run };
}
