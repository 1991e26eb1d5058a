import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@learnability/core';
import type { Rng, Task } from '@learnability/core';
import { describeEachBackend } from '@learnability/backends/testing';
import { expect, it } from 'vitest';
import { ReplicaSampler } from './sampler.js';

/** A task whose every example is the step it was drawn for (0 when none was given). */
function stepEcho(): Task {
  const sampleHost = (n: number, _rng: Rng, step?: number) => ({
    x: new Float32Array(n).fill(step ?? 0),
    y: new Float32Array(n).fill(step ?? 0),
  });
  return {
    name: 'step-echo',
    inputShape: [1],
    outputSize: 1,
    outputKind: 'real',
    layout: 'vector',
    sampleHost,
    sample: (n, rng, step) => {
      const h = sampleHost(n, rng, step);
      return { x: tf.tensor2d(h.x, [n, 1]), y: tf.tensor2d(h.y, [n, 1]), host: h };
    },
    testSet: (n) => ({ x: tf.zeros([n, 1]), y: tf.zeros([n, 1]) }),
    describe: () => ({ name: 'step-echo' }),
  };
}

describeEachBackend('ReplicaSampler', () => {
  it('passes the training step to the task (for curricula); a fixed training set is drawn without one', async () => {
    const online = new ReplicaSampler(stepEcho(), [createRng(1), createRng(2)], 3, null);
    const b = online.next(7);
    expect(Array.from(await b.x.data())).toEqual(new Array(6).fill(7));
    const finite = new ReplicaSampler(stepEcho(), [createRng(1)], 2, 4);
    const f = finite.next(7);
    expect(Array.from(await f.x.data())).toEqual([0, 0]);
    tf.dispose([b.x, b.y, f.x, f.y]);
  });

  it('draws a fixed training set from host arrays of a batch when the task has no sampleHost, and refuses a task with neither in one line', async () => {
    const { sampleHost: _, ...viaBatch } = stepEcho();
    const b = new ReplicaSampler(viaBatch, [createRng(1)], 2, 4).next(3);
    expect(Array.from(await b.x.data())).toEqual([0, 0]);
    tf.dispose([b.x, b.y]);
    const bare: Task = { ...viaBatch, name: 'bare', sample: (n) => ({ x: tf.zeros([n, 1]), y: tf.zeros([n, 1]) }) };
    const before = tf.memory().numTensors;
    expect(() => new ReplicaSampler(bare, [createRng(1)], 2, 4)).toThrow(
      'task "bare": the loop samples on the host, so give the task sampleHost(n, rng, step), or batches with host arrays (Batch.host)',
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('leaves no tensor behind when a task sampling on the device throws for one replica, or gives batches that cannot be stacked', () => {
    const { sampleHost: _, ...onDevice } = stepEcho();
    let calls = 0;
    const throwsAtThird: Task = {
      ...onDevice,
      sample: (n, rng, step) => {
        if (++calls % 3 === 0) throw new Error('replica 3 failed');
        return onDevice.sample(n, rng, step);
      },
    };
    // x of the same shape in every replica, y not: stacking x succeeds, stacking y throws.
    let drawn = 0;
    const raggedY: Task = {
      ...onDevice,
      sample: (n) => ({ x: tf.zeros([n, 1]), y: tf.zeros([n + (drawn++ % 2), 1]) }),
    };
    const rngs = [createRng(1), createRng(2), createRng(3)];
    const before = tf.memory().numTensors;
    expect(() => new ReplicaSampler(throwsAtThird, rngs, 2, null).next(1)).toThrow('replica 3 failed');
    expect(tf.memory().numTensors).toBe(before);
    expect(() => new ReplicaSampler(raggedY, rngs, 2, null).next(1)).toThrow(/shape/);
    expect(tf.memory().numTensors).toBe(before);
  });
});

/** A task whose n examples are 0, 1, …, n − 1 (a finite set of it is its own index). */
function indices(): Task {
  const sampleHost = (n: number) => ({ x: Float32Array.from({ length: n }, (_, i) => i), y: new Float32Array(n) });
  return {
    ...stepEcho(),
    name: 'indices',
    sampleHost,
    sample: (n) => ({ x: tf.tensor2d(sampleHost(n).x, [n, 1]), y: tf.zeros([n, 1]), host: sampleHost(n) }),
  };
}

describeEachBackend('ReplicaSampler with shuffle', () => {
  it('walks each replica’s set once per epoch, in a new seeded order each epoch, fixed by the step alone', async () => {
    const N = 10;
    const B = 4;
    const draw = async (s: ReplicaSampler, step: number) => {
      const b = s.next(step);
      const x = Array.from(await b.x.data());
      tf.dispose([b.x, b.y]);
      return x;
    };
    const sampler = new ReplicaSampler(indices(), [createRng(1), createRng(2)], B, N, true);
    const seen: number[][] = [[], []];
    for (let step = 1; step <= 5; step++) {
      const x = await draw(sampler, step); // (R = 2, B)
      seen[0]?.push(...x.slice(0, B));
      seen[1]?.push(...x.slice(B));
    }
    const all = Array.from({ length: N }, (_, i) => i);
    for (const s of seen) {
      // 20 examples = 2 epochs: each a permutation of the set, and the two differ.
      expect([...s.slice(0, N)].sort((a, b) => a - b)).toEqual(all);
      expect([...s.slice(N)].sort((a, b) => a - b)).toEqual(all);
      expect(s.slice(N)).not.toEqual(s.slice(0, N));
    }
    expect(seen[0]).not.toEqual(seen[1]);
    // The same step gives the same batch in a fresh sampler (what a resumed run needs).
    expect(await draw(new ReplicaSampler(indices(), [createRng(1), createRng(2)], B, N, true), 4)).toEqual([
      ...(seen[0]?.slice(12, 16) ?? []),
      ...(seen[1]?.slice(12, 16) ?? []),
    ]);
    // Without a step every call took the first batch of the first epoch.
    expect(() => sampler.next()).toThrow(
      'ReplicaSampler.next: a shuffled training set takes its batches by step; give the 1-based step (without it every call gave the first batch)',
    );
    for (const bad of [0, 1.5])
      expect(() => sampler.next(bad)).toThrow(`ReplicaSampler.next: step must be an integer ≥ 1, but got ${bad}`);
  });

  it('without shuffle draws with replacement: some example repeats within an epoch', async () => {
    const sampler = new ReplicaSampler(indices(), [createRng(1)], 10, 10 + 1);
    const b = sampler.next(1);
    expect(new Set(await b.x.data()).size).toBeLessThan(10);
    tf.dispose([b.x, b.y]);
  });
});

/** ±1 inputs of width 13 (rows not word-aligned), y = the row's first sign; `packed` adds sampleSigns. */
function signTask(packed: boolean): Task {
  const n = 13;
  const sampleHost = (count: number, rng: Rng) => {
    const x = new Float32Array(count * n);
    rng.signs(x);
    return { x, y: Float32Array.from({ length: count }, (_, row) => x[row * n] as number) };
  };
  const sampleSigns = (count: number, rng: Rng, out: { words: Uint32Array; y: Float32Array }) => {
    for (let i = 0; i < Math.ceil((count * n) / 32); i++) out.words[i] = rng.nextUint32();
    for (let row = 0; row < count; row++)
      out.y[row] = 2 * (((out.words[(row * n) >>> 5] as number) >>> ((row * n) & 31)) & 1) - 1;
  };
  return {
    name: 'signs',
    inputShape: [n],
    outputSize: 1,
    outputKind: 'sign',
    layout: 'vector',
    sampleHost,
    ...(packed ? { sampleSigns } : {}),
    sample: (count, rng) => ({ x: tf.tensor2d(sampleHost(count, rng).x, [count, n]), y: tf.zeros([count, 1]) }),
    testSet: (count) => ({ x: tf.zeros([count, n]), y: tf.zeros([count, 1]) }),
    describe: () => ({ name: 'signs' }),
  };
}

describeEachBackend('ReplicaSampler with packed signs', (backend) => {
  // Only webgpu has the unpack kernel: there the device path is compared with the host path; on the
  // other backends a task with packed signs must take the host path itself (checked at the end).
  const what =
    backend === 'webgpu'
      ? 'unpacks signs on the device into the batches of the host path'
      : 'takes the host path (no unpack kernel here), with the batches of a task without packed signs';
  it(`${what}: same x, y, replica 0 host examples and generator advance`, async () => {
    const rngs = () => [createRng(3), createRng(4), createRng(5)];
    const [ra, rb] = [rngs(), rngs()];
    // 3 replicas × 1,700 examples × 13 inputs: over PACKED_MIN_VALUES, so the packed path runs.
    const packed = new ReplicaSampler(signTask(true), ra, 1700, null);
    const plain = new ReplicaSampler(signTask(false), rb, 1700, null);
    const before = tf.memory().numTensors;
    for (let step = 1; step <= 2; step++) {
      const [a, b] = [packed.next(step), plain.next(step)];
      expect(a.x.shape).toEqual([3, 1700, 13]);
      expect(await a.x.data()).toEqual(await b.x.data());
      expect(await a.y.data()).toEqual(await b.y.data());
      expect(packed.lastHost).toEqual(plain.lastHost);
      tf.dispose([a.x, a.y, b.x, b.y]);
    }
    expect(ra.map((r) => r.nextUint32())).toEqual(rb.map((r) => r.nextUint32()));
    expect(tf.memory().numTensors).toBe(before);
    // The device unpacks where the backend has the kernel (webgpu); elsewhere the host path runs.
    expect(tf.getKernel('LearnabilityUnpackSigns', backend) !== undefined).toBe(backend === 'webgpu');
  });
});
