import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend } from '@learnability/backends/testing';
import type { TrainerState } from '@learnability/core';
import { describe, expect, it } from 'vitest';
import { ReplicaFreeze, describeReplicaOutcome } from './replica-freeze.js';

const state = (w: number[][], m: number[][], step: number): TrainerState => ({
  params: { w: tf.tensor2d(w) },
  slots: { 'w.m': tf.tensor3d(m.map((row) => row.map((v) => [v]))) },
  step,
});
const read = async (s: TrainerState) => [await s.params.w?.array(), await s.slots['w.m']?.array()];

describeEachBackend('ReplicaFreeze', () => {
  it('puts a diverged replica’s params and slots (any trainer state, leading axis R) back to the last finite evaluation; the others move on', async () => {
    const before = tf.memory().numTensors;
    const first = state(
      [
        [1, 1],
        [2, 2],
        [3, 3],
      ],
      [
        [1, 1],
        [2, 2],
        [3, 3],
      ],
      0,
    );
    const freeze = new ReplicaFreeze(first);
    tf.dispose([Object.values(first.params), Object.values(first.slots)]); // it keeps its own copy
    // A step later replica 1 has blown up, in its weights and in its optimiser slot.
    const blown = state(
      [
        [1.5, 1.5],
        [Number.NaN, 9],
        [3.5, 3.5],
      ],
      [
        [0.25, 0.25],
        [Number.POSITIVE_INFINITY, 0],
        [0.75, 0.75],
      ],
      1,
    );
    const found = freeze.detect(blown, [0.5, Number.NaN, 0.5], [1, Number.NaN, 1], 10);
    expect(found.diverged).toEqual([1]);
    expect(freeze.divergedAtStep).toEqual([null, 10, null]);
    expect(await read(found.state)).toEqual([
      [
        [1.5, 1.5],
        [2, 2],
        [3.5, 3.5],
      ],
      [
        [[0.25], [0.25]],
        [[2], [2]],
        [[0.75], [0.75]],
      ],
    ]);
    freeze.remember(found.state);
    // Every later step: replica 1 stays frozen whatever the trainer wrote there.
    tf.dispose([Object.values(found.state.params), Object.values(found.state.slots)]);
    const later = freeze.apply(
      state(
        [
          [4, 4],
          [Number.NaN, Number.NaN],
          [5, 5],
        ],
        [
          [4, 4],
          [7, 7],
          [5, 5],
        ],
        2,
      ),
    );
    expect(await read(later)).toEqual([
      [
        [4, 4],
        [2, 2],
        [5, 5],
      ],
      [
        [[4], [4]],
        [[2], [2]],
        [[5], [5]],
      ],
    ]);
    expect(later.step).toBe(2);
    expect(freeze.allDiverged).toBe(false);
    tf.dispose([Object.values(later.params), Object.values(later.slots)]);
    freeze.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('freezes tensors of any rank: (R,) and the rank-5 weights of the RCNN (webgpu’s where takes rank ≤ 4)', async () => {
    const before = tf.memory().numTensors;
    const R = 3;
    const shape5 = [R, 2, 1, 2, 2];
    const per5 = 8;
    const make = (offset: number, nanAt: number | null): TrainerState => ({
      params: {
        w5: tf.tensor(
          Array.from({ length: R * per5 }, (_, i) => (Math.floor(i / per5) === nanAt ? Number.NaN : i + offset)),
          shape5,
        ),
        b: tf.tensor1d(Array.from({ length: R }, (_, r) => (r === nanAt ? Number.NaN : r + offset))),
      },
      slots: {},
      step: 0,
    });
    const first = make(0, null);
    const freeze = new ReplicaFreeze(first);
    tf.dispose(Object.values(first.params));
    const found = freeze.detect(make(100, 2), [0, 0, Number.NaN], [1, 1, Number.NaN], 5);
    const w5 = Array.from(await (found.state.params.w5 as tf.Tensor).data());
    const b = Array.from(await (found.state.params.b as tf.Tensor).data());
    // Replicas 0 and 1 moved on (+100); replica 2 is back at its first values.
    expect(w5).toEqual(Array.from({ length: R * per5 }, (_, i) => (i < 2 * per5 ? i + 100 : i)));
    expect(b).toEqual([100, 101, 2]);
    expect(found.state.params.w5?.shape).toEqual(shape5);
    tf.dispose(Object.values(found.state.params));
    freeze.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('describeReplicaOutcome', () => {
  it('reads like the summary line', () => {
    expect(describeReplicaOutcome([5, 9, null, 7], [null, null, 1080, null])).toBe(
      '3/4 learned, replica 2 diverged at step 1,080 (lr too high?)',
    );
    expect(describeReplicaOutcome([5, null], [null, null])).toBe('1/2 learned');
  });
});
