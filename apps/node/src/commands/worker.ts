import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { intFlag, parseFlags } from '../args.js';
import { UsageError } from '../cli-error.js';
import type { Io } from '../io.js';
import { runQueueWorker } from '../sweep/queue-worker.js';

export const WORKER_HELP = `learnability worker --queue redis://host:port [--concurrency N] [--lock-ms ms] [--dir dir]

Takes sweep runs off the Redis queue that "learnability sweep --queue" fills, runs them and
stores each run's record back through Redis. Start any number, on any machines that reach Redis.
Fails within 5 s, exit code 1, when Redis cannot be reached; when Redis goes away later it says
so and reconnects with backoff (0.5 s doubling to 15 s).
Ctrl-C or SIGTERM stops it within 5 s: the current run stops at its next evaluation (checkpointed
in --dir) and goes back to the queue. A second signal exits at once. A killed worker's run is
taken up by another after --lock-ms (default 10000).
  --concurrency N   runs at once, each on its own thread (default 1)
  --lock-ms ms      job lock, renewed while the run trains (default 10000, at least 1000)
  --dir dir         records and checkpoints of this worker's runs (default: a new temp folder);
                    a worker restarted with the same --dir resumes its stopped runs`;

export async function workerCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parseFlags('worker', argv, {
    queue: { type: 'string' },
    concurrency: { type: 'string' },
    'lock-ms': { type: 'string' },
    dir: { type: 'string' },
  });
  if (values.help) return (io.out(WORKER_HELP), 0);
  if (values.queue === undefined) throw new UsageError('worker: missing --queue redis://host:port');
  const concurrency = intFlag('worker', 'concurrency', values.concurrency) ?? 1;
  const lockMs = intFlag('worker', 'lock-ms', values['lock-ms'], 1000) ?? 10_000;
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    if (!controller.signal.aborted) return controller.abort();
    io.err(`worker: second ${sig}: exiting now`);
    process.exit(130);
  };
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, onSignal);
  try {
    await runQueueWorker(
      values.queue,
      {
        concurrency,
        lockMs,
        dir: values.dir ?? mkdtempSync(join(tmpdir(), 'learnability-worker-')),
        log: (line) => io.err(line),
      },
      controller.signal,
    );
  } finally {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.off(sig, onSignal);
  }
  // Redis clients that could not say goodbye (Redis gone) keep reconnect timers alive: the
  // worker has stopped, so leave without waiting for them.
  setTimeout(() => process.exit(process.exitCode ?? 0), 200).unref();
  return 0;
}
