/**
 * A worker thread of the local sweep pool: runs the packed runs its parent sends, one at a time,
 * and reports evaluations and the outcome. A stop message ends the current run at its next
 * evaluation, checkpointed.
 */
import { parentPort } from 'node:worker_threads';
import { ConfigError, LearnabilityError } from '@learnability/core';
import { UsageError } from '../cli-error.js';
import { executePackedRun } from './execute-packed-run.js';
import type { PackedRunTask } from './execute-packed-run.js';
import type { FromWorker, ToWorker } from './pool-messages.js';

const port = parentPort;
if (!port) throw new Error('pool-worker.ts runs only as a worker thread');
const send = (m: FromWorker) => port.postMessage(m);

let current: AbortController | null = null;

port.on('message', (m: ToWorker) => {
  if (m.type === 'stop') {
    current?.abort();
    return;
  }
  const task: PackedRunTask = m.task;
  const id = task.run.id;
  const controller = new AbortController();
  current = controller;
  executePackedRun(
    task,
    (e) => {
      if (e.type === 'eval') send({ type: 'eval', id, step: e.step, totalSteps: task.run.config.run.steps });
    },
    controller.signal,
  ).then(
    (outcome) => send({ type: 'done', id, outcome }),
    (error: unknown) =>
      send({
        type: 'error',
        id,
        message: error instanceof Error ? error.message : String(error),
        kind:
          error instanceof UsageError || error instanceof ConfigError
            ? 'usage'
            : error instanceof LearnabilityError
              ? 'known'
              : 'bug',
      }),
  );
});
