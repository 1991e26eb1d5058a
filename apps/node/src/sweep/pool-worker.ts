/**
 * A worker thread of the local sweep pool: runs the packed runs its parent sends, one at a time,
 * and reports evaluations and the outcome.
 */
import { parentPort } from 'node:worker_threads';
import { executePackedRun } from './execute-packed-run.js';
import type { PackedRunTask } from './execute-packed-run.js';
import type { FromWorker } from './pool-messages.js';

const port = parentPort;
if (!port) throw new Error('pool-worker.ts runs only as a worker thread');
const send = (m: FromWorker) => port.postMessage(m);

port.on('message', (task: PackedRunTask) => {
  const id = task.run.id;
  executePackedRun(task, (e) => {
    if (e.type === 'eval') send({ type: 'eval', id, step: e.step, totalSteps: task.run.config.run.steps });
  }).then(
    (outcome) => send({ type: 'done', id, outcome }),
    (error: unknown) => send({ type: 'error', id, message: error instanceof Error ? error.message : String(error) }),
  );
});
