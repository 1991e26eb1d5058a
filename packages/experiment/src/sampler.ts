import * as tf from '@tensorflow/tfjs-core';
import { LearnabilityError, UNPACK_SIGNS, assertInt, kernelsRegistered } from '@learnability/core';
import type { Batch, Rng, Task, UnpackSignsAttrs } from '@learnability/core';

/** Host-side examples: x (N·d) row-major and y (N·outputSize). */
export interface HostExamples {
  x: Float32Array;
  y: Float32Array;
}

/**
 * Draws n examples on the host: from `sampleHost` when the task has it, else from the host arrays
 * of `sample`'s batch; `step` as in `Task.sample`. A task with neither is refused: reading its
 * tensors back would need `dataSync`, which WebGPU in Node does not have.
 */
export function sampleHost(task: Task, n: number, rng: Rng, step?: number): HostExamples {
  if (task.sampleHost) return task.sampleHost(n, rng, step);
  const b = task.sample(n, rng, step);
  tf.dispose([b.x, b.y]);
  if (!b.host)
    throw new LearnabilityError(
      `task "${task.name}": the loop samples on the host, so give the task sampleHost(n, rng, step), or batches with host arrays (Batch.host)`,
    );
  return { x: Float32Array.from(b.host.x), y: Float32Array.from(b.host.y) };
}

/** Inputs a batch needs before the sampler sends it as packed signs (see `usePacked`). */
export const PACKED_MIN_VALUES = 65_536;

/**
 * Makes one training batch per step for R replicas: x (R, B, ...inputShape), y (R, B, out).
 * Online (trainSetSize null): replica r draws B fresh examples from its own generator.
 * Finite: each replica draws a fixed training set once; a step picks B of its examples
 * uniformly with replacement, or the whole set in order when B equals its size (full batch).
 * With `shuffle`, a step takes the next B of a seeded permutation of the set, a new one each
 * epoch (a batch may straddle two epochs); the order depends only on the set and the step.
 */
export class ReplicaSampler {
  private readonly rowSize: number;
  private readonly trainSets: HostExamples[] | null;
  /** Per replica, with `shuffle`: the generator each epoch's order is forked from (never advanced). */
  private readonly epochRngs: Rng[] | null;
  /** Per replica, with `shuffle`: the order of the epoch last used. */
  private readonly orders = new Map<number, { epoch: number; order: Uint32Array }>();
  /** Replica 0's examples of the last batch (what stream learners read). */
  lastHost: HostExamples | null = null;

  constructor(
    private readonly task: Task,
    readonly rngs: Rng[],
    private readonly batchSize: number,
    private readonly trainSetSize: number | null,
    shuffle = false,
    /**
     * The replicas' generators as the run started, which the fixed training sets and epoch orders
     * are forked from. Default `rngs`; a resumed run passes its fresh ones, since `rngs` are then
     * restored mid-stream and would fork a different training set.
     */
    startRngs: readonly Rng[] = rngs,
  ) {
    this.rowSize = task.inputShape.reduce((a, b) => a * b, 1);
    const setRngs = trainSetSize === null ? null : startRngs.map((rng) => rng.fork('train-set'));
    this.trainSets =
      setRngs === null || trainSetSize === null ? null : setRngs.map((rng) => sampleHost(task, trainSetSize, rng));
    this.epochRngs = shuffle && setRngs ? setRngs.map((rng) => rng.fork('epochs')) : null;
  }

  /** The fixed training sets (finite mode), for evaluating training accuracy. */
  get trainingSets(): HostExamples[] | null {
    return this.trainSets;
  }

  /**
   * The batch for 1-based training `step`, passed on to tasks with a curriculum (without one: the
   * curriculum's end, as `Task.sample` reads it). A shuffled finite set takes examples
   * (step − 1)·B … step·B − 1 of its epoch orders, so it needs the step.
   */
  next(step?: number): Batch {
    if (step !== undefined) assertInt('ReplicaSampler.next: step', step, 1);
    else if (this.epochRngs !== null)
      throw new LearnabilityError(
        'ReplicaSampler.next: a shuffled training set takes its batches by step; give the 1-based step (without it every call gave the first batch)',
      );
    if (this.usePacked()) return this.nextPacked(step);
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
   * Packed signs pay a fixed extra dispatch and submit a batch, and save host work in
   * proportion to its size: they run for batches of at least PACKED_MIN_VALUES inputs (on an
   * H200 the single sparse-parity model, 1,600 inputs a batch, took 0.18 ms a step as floats).
   */
  private usePacked(): boolean {
    const values = this.rngs.length * this.batchSize * this.rowSize;
    return (
      this.trainSets === null &&
      this.task.sampleSigns !== undefined &&
      values >= PACKED_MIN_VALUES &&
      kernelsRegistered(UNPACK_SIGNS)
    );
  }

  /**
   * Online batches of ±1 inputs where the backend unpacks sign bits (`UNPACK_SIGNS`): the same
   * draws as the host path, made and uploaded as bits (32× less), x unpacked on the device.
   */
  private nextPacked(step: number | undefined): Batch {
    const sampleSigns = this.task.sampleSigns as NonNullable<Task['sampleSigns']>;
    const [R, B, out] = [this.rngs.length, this.batchSize, this.task.outputSize];
    const wordsPerRow = Math.ceil((B * this.rowSize) / 32);
    const words = new Uint32Array(R * wordsPerRow);
    const y = new Float32Array(R * B * out);
    for (let r = 0; r < R; r++) {
      const part = {
        words: words.subarray(r * wordsPerRow, (r + 1) * wordsPerRow),
        y: y.subarray(r * B * out, (r + 1) * B * out),
      };
      sampleSigns(B, this.rngs[r] as Rng, part, step);
      if (r === 0)
        this.lastHost = {
          x: Float32Array.from(
            { length: B * this.rowSize },
            (_, j) => ((((part.words[j >>> 5] as number) >>> (j & 31)) & 1) << 1) - 1,
          ),
          y: part.y.slice(),
        };
    }
    const packed = tf.tensor1d(new Int32Array(words.buffer), 'int32');
    const attrs: UnpackSignsAttrs = { shape: [R, B, ...this.task.inputShape], wordsPerRow };
    const x = tf.engine().runKernel(UNPACK_SIGNS, { words: packed }, attrs) as tf.Tensor;
    packed.dispose();
    return { x, y: tf.tensor(y, [R, B, out]) };
  }

  /**
   * Online batches of a task that samples straight to tensors: stack the replicas' batches on
   * the device (nothing is read back; stream learners get replica 0's host arrays if it has any).
   */
  private nextOnDevice(step: number | undefined): Batch {
    // The replicas' parts are freed however this ends: a task that throws for one replica, or
    // batches that cannot be stacked, would otherwise leave the earlier ones behind.
    const parts: Batch[] = [];
    try {
      for (const rng of this.rngs) parts.push(this.task.sample(this.batchSize, rng, step));
      this.lastHost = parts[0]?.host ?? null;
      // The tidy frees the stacked x if stacking y throws.
      return tf.tidy(() => ({ x: tf.stack(parts.map((p) => p.x)), y: tf.stack(parts.map((p) => p.y)) }));
    } finally {
      tf.dispose(parts.flatMap((p) => [p.x, p.y]));
    }
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
    // Examples (step − 1)·B … step·B − 1 of the concatenated epoch orders.
    const first = ((step ?? 1) - 1) * this.batchSize; // the step is given where there are epochs
    for (let i = 0; i < this.batchSize; i++) {
      const j = this.epochRngs
        ? (this.epochOrder(this.epochRngs, r, Math.floor((first + i) / n))[(first + i) % n] as number)
        : rng.int(n);
      x.set(set.x.subarray(j * this.rowSize, (j + 1) * this.rowSize), i * this.rowSize);
      y.set(set.y.subarray(j * out, (j + 1) * out), i * out);
    }
    return { x, y };
  }

  /** Replica r's seeded permutation of its training set for `epoch` (0-based). */
  private epochOrder(epochRngs: Rng[], r: number, epoch: number): Uint32Array {
    const cached = this.orders.get(r);
    if (cached?.epoch === epoch) return cached.order;
    const n = this.trainSetSize as number;
    const rng = (epochRngs[r] as Rng).fork(epoch);
    const order = Uint32Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    this.orders.set(r, { epoch, order });
    return order;
  }
}
