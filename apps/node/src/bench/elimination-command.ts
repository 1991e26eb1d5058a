import { referencePython } from './python-reference.js';
import { UsageError } from '../cli-error.js';
import type { Io } from '../io.js';
import { formatTable } from '../render/table.js';
import { pooledTiming, roundRatios, summarised, timeReference } from './elimination-rounds.js';
import type { ReferenceSeries } from './elimination-rounds.js';
import type { BenchEliminationResult, M4riDriver } from '@learnability/parity/bench';
import { formatRatio } from './stats.js';
import { flagHelp, parseSchemaFlags } from '../schema-flags.js';
import type { FlagSpecs } from '../schema-flags.js';

const FLAGS = {
  sizes: { type: 'int[]', default: [64, 256, 1024, 4096], min: 1, doc: 'n of each planted system (m = n + 20 rows)' },
  repeats: {
    type: 'int',
    default: 5,
    min: 1,
    // The M4RI driver (bench/m4ri/gf2_m4ri.c) takes at most 1,000; past it its column would go missing.
    max: 1000,
    doc: 'solves per size and round (median and min–max over them)',
  },
  rounds: {
    type: 'int',
    default: 1,
    min: 1,
    doc: "rounds, each timing every size ours, M4RI, numpy in turn; M4RI / ours is the median of the rounds' ratios",
  },
  'no-references': { type: 'bool', default: false, doc: 'skip M4RI and numpy' },
} as const satisfies FlagSpecs;

const HELP = `learnability bench elimination [options] [--json]

Bit-packed GF(2) Gaussian elimination on planted parity systems with m = n + 20 rows: median
and spread (min–max) over the solves. In the same run, when installed: M4RI (Debian
libm4ri-dev, a C driver compiled on the fly from bench/m4ri/) and bit-packed numpy
(bench/gf2_numpy.py, Debian python3-numpy). Each size is timed ours, then M4RI, then numpy,
seconds apart, and the ratio M4RI / ours taken within that pair; --rounds N repeats them and
reports the median of the N ratios with their range. On a machine whose cores differ, pin it
(taskset -c N): unpinned, ours and the M4RI child can land on cores of different speed, which
pairing in time does not prevent and the range then shows. With --json, ratioVsM4ri = that
ratio at the largest size, ratiosVsM4ri every size's.

${flagHelp(FLAGS)}`;

/**
 * `@learnability/parity/bench`, loaded here alone: it is a workspace-only entry (its reference
 * drivers are the repository's bench/ folder), so a packed CLI (`pnpm deploy`, the GPU bundle)
 * lacks it, and every other command must load without it.
 */
async function eliminationBench(): Promise<typeof import('@learnability/parity/bench')> {
  try {
    return await import('@learnability/parity/bench');
  } catch (error) {
    // Only a missing entry means an installed CLI; anything else (a module that fails) is itself.
    const code = (error as { code?: unknown }).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') throw error;
    throw new UsageError(
      'bench elimination: this CLI was installed without @learnability/parity/bench, a workspace-only entry; run it from a clone of the repository (pnpm learnability bench elimination)',
    );
  }
}

export async function benchEliminationCommand(argv: string[], io: Io): Promise<number> {
  const parsed = parseSchemaFlags('bench elimination', argv, FLAGS);
  if (parsed.help) return (io.out(HELP), 0);
  const { sizes, repeats, rounds, 'no-references': noReferences } = parsed.values;
  const { benchElimination, buildM4riDriver, runNumpyReference } = await eliminationBench();
  // Per size, each round's timing: ours, and each reference's (null where it did not run).
  const ours: BenchEliminationResult[][] = sizes.map(() => []);
  const stopped = noReferences ? '--no-references' : null;
  const m4riSeries: ReferenceSeries<{ method: string; full: boolean }> = {
    runs: sizes.map(() => []),
    method: null,
    stopped,
  };
  const numpySeries: ReferenceSeries<{ method: string; numpyVersion: string }> = {
    runs: sizes.map(() => []),
    method: null,
    stopped,
  };
  // The M4RI driver is compiled once (outside the timings) and deleted when the rounds end.
  if (m4riSeries.stopped === null) io.status('compiling the M4RI driver…');
  const built = m4riSeries.stopped === null ? await buildM4riDriver() : null;
  if (built && !built.available) m4riSeries.stopped = built.reason;
  const driver = built?.available ? built : null;
  try {
    for (let round = 1; round <= rounds; round++) {
      const of = rounds > 1 ? ` (round ${round} of ${rounds})` : '';
      for (const [i, n] of sizes.entries()) {
        io.status(`timing learnability GF(2) elimination at n = ${n}${of}…`);
        ours[i]?.push(benchElimination({ sizes: [n], repeats })[0] as BenchEliminationResult);
        // Called only while M4RI's series runs, i.e. once its driver was built.
        await timeReference(
          m4riSeries,
          i,
          () => (driver as M4riDriver).time({ sizes: [n], repeats }),
          (r) => ({ method: r.method, full: r.full }),
          () => io.status(`timing M4RI at n = ${n}${of}…`),
        );
        await timeReference(
          numpySeries,
          i,
          () => runNumpyReference({ sizes: [n], repeats, python: referencePython() }),
          (r) => ({ method: r.method, numpyVersion: r.numpyVersion }),
          () => io.status(`timing numpy at n = ${n}${of}…`),
        );
      }
    }
  } finally {
    driver?.dispose();
  }
  io.status('');
  const m4ri = summarised(m4riSeries);
  const numpy = summarised(numpySeries);
  const m4riRuns = m4riSeries.runs;
  const ratiosVsM4ri = sizes.map((n, i) => ({ n, ratio: roundRatios(ours[i] ?? [], m4riRuns[i] ?? []) }));
  const result = {
    benchmark: 'elimination',
    sizes,
    repeats,
    rounds,
    ours: ours.map((byRound) => pooledTiming(byRound)),
    m4ri,
    numpy,
    ratioVsM4ri: ratiosVsM4ri[sizes.indexOf(Math.max(...sizes))]?.ratio?.median ?? null,
    ratiosVsM4ri,
  };
  if (parsed.json) {
    io.out(JSON.stringify(result));
    return 0;
  }
  // Three significant digits, so that the ratio can be checked against the figures at small n too:
  // there the medians are hundredths of a millisecond, and two decimals showed 0.03 and 0.01 beside
  // a ratio of 0.50.
  const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x.toPrecision(3));
  const cell = (v: { medianMs: number; minMs: number; maxMs: number } | undefined) =>
    v ? `${ms(v.medianMs)} (${ms(v.minMs)}–${ms(v.maxMs)})` : '—';
  const each = rounds > 1 ? `${repeats * rounds} solves (${repeats} in each of ${rounds} rounds)` : `${repeats}`;
  io.out(`GF(2) elimination, m = n + 20, ms: median (min–max) over ${each}`);
  io.out(
    formatTable(
      ['n', 'learnability', 'M4RI', 'numpy', 'M4RI / ours', 'all recovered'],
      result.ours.map((r, i) => {
        const m = m4ri.available ? m4ri.results.find((x) => x.n === r.n) : undefined;
        const p = numpy.available ? numpy.results.find((x) => x.n === r.n) : undefined;
        return [
          String(r.n),
          cell(r),
          cell(m),
          cell(p),
          formatRatio(ratiosVsM4ri[i]?.ratio ?? null),
          r.recovered ? 'yes' : 'no',
        ];
      }),
    ),
  );
  if (rounds > 1)
    io.out(
      `M4RI / ours: the median (min–max) of the rounds' ratios, each timing a size ours then M4RI seconds apart; the times beside it pool the rounds' solves. Pin the process (taskset -c N) for like-for-like ratios: unpinned, ours and the M4RI child can run on cores of different speed.`,
    );
  for (const [name, ref] of [
    ['M4RI', m4ri],
    ['numpy', numpy],
  ] as const) {
    if (!ref.available) io.out(`${name} reference skipped: ${ref.reason}`);
    else if (ref.stoppedPartWay)
      io.out(
        `${name} reference stopped part-way (its figures are of the sizes and rounds before): ${ref.stoppedPartWay}`,
      );
  }
  return 0;
}
