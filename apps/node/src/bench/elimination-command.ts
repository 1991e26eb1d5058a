import { existsSync } from 'node:fs';
import { benchElimination, runM4riReference, runNumpyReference } from '@learnability/parity/bench';
import { intFlag, intListFlag, parseFlags } from '../args.js';
import type { Io } from '../io.js';
import { formatTable } from '../render/table.js';

const HELP = `learnability bench elimination [--sizes 64,256,1024,4096] [--repeats N] [--no-references] [--json]

Bit-packed GF(2) Gaussian elimination on planted parity systems with m = n + 20 rows: median
and spread (min–max) over N solves (default 5). In the same run, when installed: M4RI (Debian
libm4ri-dev, a C driver compiled on the fly from bench/m4ri/) and bit-packed numpy
(bench/gf2_numpy.py, Debian python3-numpy). With --json, ratioVsM4ri = M4RI time / ours at the
largest size.`;

/** Debian's python3 has python3-numpy; a pyenv python3 on PATH usually does not. */
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

export async function benchEliminationCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parseFlags('bench elimination', argv, {
    sizes: { type: 'string' },
    repeats: { type: 'string' },
    'no-references': { type: 'boolean', default: false },
  });
  if (values.help) return (io.out(HELP), 0);
  const sizes = intListFlag('bench elimination', 'sizes', values.sizes) ?? [64, 256, 1024, 4096];
  const repeats = intFlag('bench elimination', 'repeats', values.repeats) ?? 5;
  io.status('timing learnability GF(2) elimination…');
  const ours = benchElimination({ sizes, repeats });
  const skip = { available: false as const, reason: '--no-references' };
  io.status('timing M4RI…');
  const m4ri = values['no-references'] ? skip : await runM4riReference({ sizes, repeats });
  io.status('timing numpy…');
  const numpy = values['no-references'] ? skip : await runNumpyReference({ sizes, repeats, python: PYTHON });
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
  if (values.json) {
    io.out(JSON.stringify(result));
    return 0;
  }
  const cell = (v: { medianMs: number; minMs: number; maxMs: number } | undefined) =>
    v ? `${v.medianMs.toFixed(2)} (${v.minMs.toFixed(2)}–${v.maxMs.toFixed(2)})` : '—';
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
