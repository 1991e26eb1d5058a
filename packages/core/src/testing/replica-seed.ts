import * as tf from '@tensorflow/tfjs-core';
import { replicaRngs } from '../rng.js';
import type { Model } from '../contracts.js';
import { expectClose } from './tensor-close.js';

/**
 * Replica r of `many` initialised from `seed` has, tensor for tensor and bit for bit, the
 * parameters `one` (a one-replica model of the same config) gets from `seed + r`: what lets a
 * sweep pack seeds into replicas. Every parameter is compared, not one.
 */
export async function expectReplicaIsSeed(many: Model, one: Model, seed: number, r: number): Promise<void> {
  const packed = many.init(replicaRngs(seed, many.replicas));
  const alone = one.init(replicaRngs(seed + r, 1));
  try {
    if (JSON.stringify(Object.keys(packed)) !== JSON.stringify(Object.keys(alone)))
      throw new Error(`replica ${r}: parameters ${Object.keys(packed)} vs ${Object.keys(alone)}`);
    for (const [name, t] of Object.entries(packed)) {
      const slice = tf.slice(t, [r], [1]);
      try {
        await expectClose(slice, alone[name] as tf.Tensor, { atol: 0, rtol: 0, what: `replica ${r} ${name}` });
      } finally {
        slice.dispose();
      }
    }
  } finally {
    tf.dispose([packed, alone]);
  }
}
