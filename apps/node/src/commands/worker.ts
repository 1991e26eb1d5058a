import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../cli-error.js';
import { stopOnSignal } from '../interrupt.js';
import type { Io } from '../io.js';
import { ensureDir } from '../out-dir.js';
import { parseRedisUrl, probeRedis } from '../sweep/redis-connection.js';
import { flagHelp, parseSchemaFlags } from '../schema-flags.js';
import type { FlagSpecs } from '../schema-flags.js';
import { MAX_POOL_THREADS } from '../sweep/local-pool.js';
import { runQueueWorker } from '../sweep/queue-worker.js';

const FLAGS = {
  queue: {
    type: 'string',
    arg: 'url',
    default: '',
    doc: 'redis://host:port of the queue "learnability sweep --queue" fills (required)',
  },
  concurrency: {
    type: 'int',
    default: 1,
    min: 1,
    max: MAX_POOL_THREADS,
    doc: 'runs at once, each on its own thread',
  },
  'lock-ms': {
    type: 'int',
    default: 10_000,
    min: 1000,
    // Renewed every lockMs / 2 by a timer, which takes at most 2^31 − 1 ms; a day is plenty.
    max: 86_400_000,
    unit: 'ms',
    doc: 'job lock, renewed while the run trains',
  },
  dir: {
    type: 'string',
    arg: 'dir',
    default: '',
    doc: "records and checkpoints of this worker's runs (empty: a new temp folder); a worker restarted with the same --dir resumes its stopped runs",
  },
} as const satisfies FlagSpecs;

export const WORKER_HELP = `learnability worker --queue redis://host:port [options]

Takes sweep runs off the Redis queue that "learnability sweep --queue" fills, runs them and
stores each run's record back through Redis. Start any number, on any machines that reach Redis.
Fails within 5 s, exit code 1, when Redis cannot be reached; when Redis goes away later it says
so and reconnects with backoff (0.5 s doubling to 15 s).
Ctrl-C or SIGTERM stops it within 5 s: the current run stops at its next evaluation (checkpointed
in --dir) and goes back to the queue. A second signal exits at once. A killed worker's run is
taken up by another after --lock-ms.

${flagHelp(FLAGS)}`;

export async function workerCommand(argv: string[], io: Io): Promise<number> {
  const parsed = parseSchemaFlags('worker', argv, FLAGS);
  if (parsed.help) return (io.out(WORKER_HELP), 0);
  if (parsed.json)
    throw new UsageError('worker: --json: a worker prints no results, only a log on stderr; drop --json');
  const { queue, concurrency, 'lock-ms': lockMs, dir } = parsed.values;
  if (queue === '') throw new UsageError('worker: missing --queue redis://host:port');
  // Before the worker takes jobs: a --dir it cannot write would fail every one of them; and Redis
  // answers before a temporary --dir is made, so a failed start leaves nothing behind.
  parseRedisUrl(queue, 'worker');
  if (dir !== '') ensureDir('worker: --dir', dir);
  await probeRedis(queue);
  const interrupt = stopOnSignal(io, 'worker', () => {});
  try {
    await runQueueWorker(
      queue,
      {
        concurrency,
        lockMs,
        dir: dir || mkdtempSync(join(tmpdir(), 'learnability-worker-')),
        log: (line) => io.err(line),
      },
      interrupt.signal,
    );
  } finally {
    interrupt.dispose();
  }
  // Redis clients that could not say goodbye (Redis gone) keep reconnect timers alive: the
  // worker has stopped, so leave without waiting for them.
  setTimeout(() => process.exit(process.exitCode ?? 0), 200).unref();
  return 0;
}
