/**
 * Compares GF(2) elimination speeds: @learnability/parity's solveGf2 (WebAssembly SIMD and plain
 * JS kernels), bit-packed numpy (gf2_numpy.py, Four Russians and plain) and M4RI (m4ri/). Every
 * solver gets the same kind of planted system: m = n + 20 rows, n unknowns, a label column.
 *
 * Run from the repository root:
 *   node --conditions=source --import tsx bench/gf2-compare.ts [--repeats 9] [n ...]
 * Prints a Markdown table, then the raw results as JSON. The solvers run one after another, not
 * paired in rounds (`learnability bench elimination` pairs ours with M4RI and numpy), and plain
 * numpy, which is slow, runs at most 3 repeats.
 */
import { benchElimination, runM4riReference, runNumpyReference } from '../packages/tasks/parity/src/bench/index.ts';

const argv = process.argv.slice(2);
const at = argv.indexOf('--repeats');
const repeats = at >= 0 ? Number(argv[at + 1]) : 9;
const rest = at >= 0 ? [...argv.slice(0, at), ...argv.slice(at + 2)] : argv;
const sizes = rest.length > 0 ? rest.map(Number) : [64, 256, 1024, 4096];
const positiveInt = (v: number) => Number.isInteger(v) && v >= 1;
if (!positiveInt(repeats) || repeats > 1000 || !sizes.every(positiveInt)) {
  console.error(
    `gf2-compare: expected --repeats an integer in [1, 1000] and sizes positive integers, but got --repeats ${argv[at + 1] ?? repeats} and sizes ${rest.join(' ') || '(default)'}`,
  );
  process.exit(2);
}

const columns: {
  name: string;
  run: () => Promise<{ n: number; medianMs: number; minMs: number; recovered: boolean }[] | string>;
}[] = [
  { name: 'ours wasm-simd', run: async () => benchElimination({ sizes, repeats, solver: { kernel: 'wasm-simd' } }) },
  { name: 'ours js', run: async () => benchElimination({ sizes, repeats, solver: { kernel: 'js' } }) },
  ...(['m4r', 'plain'] as const).map((method) => ({
    name: `numpy ${method}`,
    run: async () => {
      const r = await runNumpyReference({
        sizes,
        repeats: Math.min(repeats, method === 'plain' ? 3 : repeats),
        method,
      });
      return r.available ? r.results : r.reason;
    },
  })),
  ...([false, true] as const).map((full) => ({
    name: `M4RI m4ri ${full ? 'RREF' : 'REF'}`,
    run: async () => {
      const r = await runM4riReference({ sizes, repeats, method: 'm4ri', full });
      return r.available ? r.results : r.reason;
    },
  })),
];

const table: Record<string, Record<number, string>> = {};
const raw: Record<string, unknown> = {};
for (const column of columns) {
  const result = await column.run();
  raw[column.name] = result;
  table[column.name] = Object.fromEntries(
    sizes.map((n) => {
      if (typeof result === 'string') return [n, 'n/a'];
      const r = result.find((x) => x.n === n);
      return [n, r ? `${r.medianMs.toFixed(3)} (min ${r.minMs.toFixed(3)})${r.recovered ? '' : ' WRONG'}` : 'n/a'];
    }),
  );
}
console.log(`| solver | ${sizes.map((n) => `n=${n}`).join(' | ')} |`);
console.log(`|---|${sizes.map(() => '---').join('|')}|`);
for (const [name, row] of Object.entries(table)) console.log(`| ${name} | ${sizes.map((n) => row[n]).join(' | ')} |`);
console.log(JSON.stringify(raw));
