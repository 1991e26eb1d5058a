import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { intFlag, parseFlags } from '../args.js';
import { UsageError } from '../cli-error.js';
import type { Io } from '../io.js';
import { runQueueWorker } from '../sweep/redis-queue.js';

export const WORKER_HELP = `learnability worker --queue redis://host:port [--concurrency N] [--lock-ms ms] [--dir dir]

Takes sweep runs off the Redis queue that "learnability sweep --queue" fills, runs them and
stores each run's record back through Redis. Start any number, on any machines that reach Redis.
Stop with Ctrl-C. A killed worker's run is taken up by another after --lock-ms (default 10000).`;

export async function workerCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parseFlags('worker', argv, {
    queue: { type: 'string' },
    concurrency: { type: 'string' },
    'lock-ms': { type: 'string' },
    dir: { type: 'string' },
  });
  if (values.help) return io.out(WORKER_HELP), 0;
  if (values.queue === undefined) throw new UsageError('worker: missing --queue redis://host:port');
  const controller = new AbortController();
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => controller.abort());
  await runQueueWorker(
    values.queue,
    {
      concurrency: intFlag('worker', 'concurrency', values.concurrency) ?? 1,
      lockMs: intFlag('worker', 'lock-ms', values['lock-ms'], 1000) ?? 10_000,
      dir: values.dir ?? mkdtempSync(join(tmpdir(), 'learnability-worker-')),
      log: (line) => io.err(line),
    },
    controller.signal,
  );
  return 0;
}
