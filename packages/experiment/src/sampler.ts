import * as tf from '@tensorflow/tfjs-core';
import type { Batch, Rng, Task } from '@learnability/core';

/** Host-side examples: x (N·d) row-major and y (N·outputSize). */
export interface HostExamples {
  x: Float32Array;
  y: Float32Array;
}

/** Draws n examples on the host, from `sampleHost` when the task has it, else from `sample`; `step` as in `Task.sample`. */
export function sampleHost(task: Task, n: number, rng: Rng, step?: number): HostExamples {
  if (task.sampleHost) return task.sampleHost(n, rng, step);
  const b = task.sample(n, rng, step);
  const host = b.host ?? { x: b.x.dataSync() as Float32Array, y: b.y.dataSync() as Float32Array };
  tf.dispose([b.x, b.y]);
  return { x: Float32Array.from(host.x), y: Float32Array.from(host.y) };
}

/**
 * Makes one training batch per step for R replicas: x (R, B, ...inputShape), y (R, B, out).
 * Online (trainSetSize null): replica r draws B fresh examples from its own generator.
 * Finite: each replica draws a fixed training set once; a step picks B of its examples
 * uniformly with replacement, or the whole set in order when B equals its size (full batch).
 */
export class ReplicaSampler {
  private readonly rowSize: number;
  private readonly trainSets: HostExamples[] | null;
  /** Replica 0's examples of the last batch (what stream learners read). */
  lastHost: HostExamples | null = null;

  constructor(
    private readonly task: Task,
    readonly rngs: Rng[],
    private readonly batchSize: number,
    private readonly trainSetSize: number | null,
  ) {
    this.rowSize = task.inputShape.reduce((a, b) => a * b, 1);
    this.trainSets = trainSetSize === null ? null : rngs.map((rng) => sampleHost(task, trainSetSize, rng.fork('train-set')));
  }

  /** The fixed training sets (finite mode), for evaluating training accuracy. */
  get trainingSets(): HostExamples[] | null {
    return this.trainSets;
  }

  /** The batch for 1-based training `step` (passed on to tasks with a curriculum). */
  next(step?: number): Batch {
    if (this.trainSets === null && !this.task.sampleHost) return this.nextOnDevice(step);
    const R = this.rngs.length;
    const B = this.batchSize;
    const out = this.task.outputSize;
    const x = new Float32Array(R * B * this.rowSize);
    const y = new Float32Array(R * B * out);
    for (let r = 0; r < R; r++) {
      const part = this.draw(r, step);
      x.set(part.x, r * B * this.rowSize);
      y.set(part.y, r * B * out);
      if (r === 0) this.lastHost = part;
    }
    return {
      x: tf.tensor(x, [R, B, ...this.task.inputShape]),
      y: tf.tensor(y, [R, B, out]),
    };
  }

  /**
   * Online batches of a task that samples straight to tensors: stack the replicas' batches on
   * the device (nothing is read back; stream learners get replica 0's host arrays if it has any).
   */
  private nextOnDevice(step: number | undefined): Batch {
    const parts = this.rngs.map((rng) => this.task.sample(this.batchSize, rng, step));
    this.lastHost = parts[0]?.host ?? null;
    const batch = { x: tf.stack(parts.map((p) => p.x)), y: tf.stack(parts.map((p) => p.y)) };
    tf.dispose(parts.flatMap((p) => [p.x, p.y]));
    return batch;
  }

  private draw(r: number, step: number | undefined): HostExamples {
    const rng = this.rngs[r] as Rng;
    if (this.trainSets === null) return sampleHost(this.task, this.batchSize, rng, step);
    const set = this.trainSets[r] as HostExamples;
    const n = this.trainSetSize as number;
    if (this.batchSize === n) return set;
    const out = this.task.outputSize;
    const x = new Float32Array(this.batchSize * this.rowSize);
    const y = new Float32Array(this.batchSize * out);
    for (let i = 0; i < this.batchSize; i++) {
      const j = rng.int(n);
      x.set(set.x.subarray(j * this.rowSize, (j + 1) * this.rowSize), i * this.rowSize);
      y.set(set.y.subarray(j * out, (j + 1) * out), i * out);
    }
    return { x, y };
  }
}
