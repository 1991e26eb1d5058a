import { benchBackend, listBackends } from '@learnability/backends';
import { intFlag, parseFlags } from '../args.js';
import type { Io } from '../io.js';
import { formatTable } from '../render/table.js';
import { formatStats } from './stats.js';

const HELP = `learnability bench backends [--repeats N] [--json]

On every available backend: milliseconds per 1024×1024 matMul and steps/s of a 50→512→512→1
MLP SGD step (batch 64, MSE); medians with min–max over N repeats (default 5).`;

export async function benchBackendsCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parseFlags('bench backends', argv, { repeats: { type: 'string' } });
  if (values.help) return (io.out(HELP), 0);
  const repeats = intFlag('bench backends', 'repeats', values.repeats) ?? 5;
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
  if (values.json) {
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
