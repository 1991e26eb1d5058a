import { benchBackend, listBackends } from '@learnability/backends';
import type { Io } from '../io.js';
import { formatTable } from '../render/table.js';
import { flagHelp, parseSchemaFlags } from '../schema-flags.js';
import type { FlagSpecs } from '../schema-flags.js';
import { formatStats } from './stats.js';

const FLAGS = {
  repeats: { type: 'int', default: 5, min: 1, doc: 'timed repeats per figure (median and min–max over them)' },
} as const satisfies FlagSpecs;

const HELP = `learnability bench backends [--repeats N] [--json]

On every available backend: milliseconds per 1024×1024 matMul and steps/s of a 50→512→512→1
MLP SGD step (batch 64, MSE); medians with min–max over the repeats.

${flagHelp(FLAGS)}`;

export async function benchBackendsCommand(argv: string[], io: Io): Promise<number> {
  const parsed = parseSchemaFlags('bench backends', argv, FLAGS);
  if (parsed.help) return (io.out(HELP), 0);
  const { repeats } = parsed.values;
  const results = [];
  for (const status of await listBackends()) {
    if (!status.available) {
      results.push({ name: status.name, available: false, reason: status.reason });
      continue;
    }
    io.status(`benchmarking ${status.name}…`);
    const r = await benchBackend(status.name, { repeats });
    results.push({ name: status.name, available: true, ...r });
  }
  io.status('');
  if (parsed.json) {
    io.out(JSON.stringify({ benchmark: 'backends', repeats, results }));
    return 0;
  }
  io.out(
    formatTable(
      ['backend', 'detail', 'matMul 1024² ms', 'MLP steps/s'],
      results.map((r) =>
        'matMul1024Ms' in r
          ? [r.name, detail(r.backend), formatStats(r.matMul1024Ms, 1), formatStats(r.mlpStepsPerSecond, 0)]
          : [r.name, `unavailable: ${r.reason ?? ''}`, '—', '—'],
      ),
    ),
  );
  return 0;
}

function detail(b: {
  threads?: number;
  simd?: boolean;
  adapter?: { description: string; isFallbackAdapter: boolean };
}): string {
  if (b.adapter) return `${b.adapter.description || 'adapter'}${b.adapter.isFallbackAdapter ? ' (software)' : ''}`;
  if (b.threads !== undefined) return `${b.threads} thread(s)${b.simd ? ', SIMD' : ''}`;
  return '';
}
