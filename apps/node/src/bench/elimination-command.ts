import { existsSync } from 'node:fs';
import { UsageError } from '../cli-error.js';
import type { Io } from '../io.js';
import { formatTable } from '../render/table.js';
import { flagHelp, parseSchemaFlags } from '../schema-flags.js';
import type { FlagSpecs } from '../schema-flags.js';

const FLAGS = {
  sizes: { type: 'int[]', default: [64, 256, 1024, 4096], min: 1, doc: 'n of each planted system (m = n + 20 rows)' },
  repeats: { type: 'int', default: 5, min: 1, doc: 'solves per size (median and min–max over them)' },
  'no-references': { type: 'bool', default: false, doc: 'skip M4RI and numpy' },
} as const satisfies FlagSpecs;

const HELP = `learnability bench elimination [options] [--json]

Bit-packed GF(2) Gaussian elimination on planted parity systems with m = n + 20 rows: median
and spread (min–max) over the solves. In the same run, when installed: M4RI (Debian
libm4ri-dev, a C driver compiled on the fly from bench/m4ri/) and bit-packed numpy
(bench/gf2_numpy.py, Debian python3-numpy). With --json, ratioVsM4ri = M4RI time / ours at the
largest size.

${flagHelp(FLAGS)}`;

/** Debian's python3 has python3-numpy; a pyenv python3 on PATH usually does not. */
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

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
  const { sizes, repeats, 'no-references': noReferences } = parsed.values;
  const { benchElimination, runM4riReference, runNumpyReference } = await eliminationBench();
  io.status('timing learnability GF(2) elimination…');
  const ours = benchElimination({ sizes, repeats });
  const skip = { available: false as const, reason: '--no-references' };
  io.status('timing M4RI…');
  const m4ri = noReferences ? skip : await runM4riReference({ sizes, repeats });
  io.status('timing numpy…');
  const numpy = noReferences ? skip : await runNumpyReference({ sizes, repeats, python: PYTHON });
  io.status('');
  const largest = Math.max(...sizes);
  const at = (r: { results: { n: number; medianMs: number }[] } | { available: false }, n: number) =>
    'results' in r ? (r.results.find((x) => x.n === n)?.medianMs ?? null) : null;
  const oursAt = (n: number) => ours.find((r) => r.n === n)?.medianMs ?? null;
  const m4riLargest = at(m4ri, largest);
  const oursLargest = oursAt(largest);
  const result = {
    benchmark: 'elimination',
    sizes,
    repeats,
    ours,
    m4ri,
    numpy,
    ratioVsM4ri: m4riLargest !== null && oursLargest !== null ? m4riLargest / oursLargest : null,
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
  io.out(`GF(2) elimination, m = n + 20, ms: median (min–max) over ${repeats}`);
  io.out(
    formatTable(
      ['n', 'learnability', 'M4RI', 'numpy', 'M4RI / ours', 'all recovered'],
      ours.map((r) => {
        const m = 'results' in m4ri ? m4ri.results.find((x) => x.n === r.n) : undefined;
        const p = 'results' in numpy ? numpy.results.find((x) => x.n === r.n) : undefined;
        return [
          String(r.n),
          cell(r),
          cell(m),
          cell(p),
          m ? `${(m.medianMs / r.medianMs).toFixed(2)}×` : '—',
          r.recovered ? 'yes' : 'no',
        ];
      }),
    ),
  );
  for (const [name, ref] of [
    ['M4RI', m4ri],
    ['numpy', numpy],
  ] as const)
    if (!ref.available) io.out(`${name} reference skipped: ${ref.reason}`);
  return 0;
}
