import * as tf from '@tensorflow/tfjs-core';
import { createRng, replicaRngs } from '@learnability/core';
import { applyOverrides, getPreset, resolve, validateConfig } from '@learnability/presets';

/** Peak bytes and time of one gradient of the squared error, plain unroll vs checkpointed. */
export interface MemoryRow {
  depth: number;
  checkpointEvery: number;
  peakMiB: number;
  milliseconds: number;
}

/**
 * For each depth T, one gradient of the in-context RCNN (preset `rcnn-in-context-parity-deep`)
 * on a batch of `batch` prompts, with a plain unroll and with segments of ⌈√T⌉ steps.
 * `tf.profile` reports the most bytes alive at once.
 */
export async function measureMemory(depths: readonly number[], batch: number): Promise<MemoryRow[]> {
  const rows: MemoryRow[] = [];
  for (const depth of depths) {
    for (const checkpointEvery of [0, Math.ceil(Math.sqrt(depth))]) {
      const preset = getPreset('rcnn-in-context-parity-deep').config;
      const config = validateConfig(
        applyOverrides(structuredClone(preset), [
          `model.depth=${depth}`,
          `model.checkpointEvery=${checkpointEvery}`,
          'run.replicas=1',
        ]),
      );
      const { model, task } = resolve(config);
      if (!model) throw new Error('rcnn-in-context-parity-deep has no model');
      const params = model.init(replicaRngs(0, 1));
      const b = task.sample(batch, createRng(1));
      const x = tf.reshape(b.x, [1, batch, ...task.inputShape]);
      const y = tf.reshape(b.y, [1, batch, 1]);
      const names = Object.keys(params);
      const grad = () =>
        tf.valueAndGrads((...ts: tf.Tensor[]) => {
          const p = Object.fromEntries(names.map((n, i) => [n, ts[i] as tf.Tensor]));
          return tf.mean(tf.square(tf.sub(model.apply(p, x), y)));
        })(names.map((n) => params[n] as tf.Tensor));
      // One warm-up, one timed call, then a profiled call for the peak (profiling slows kernels down).
      const once = async () => {
        const r = grad();
        await r.value.data();
        tf.dispose([r.value, r.grads]);
        return [] as tf.Tensor[];
      };
      await once();
      const started = performance.now();
      await once();
      const milliseconds = performance.now() - started;
      const info = await tf.profile(once);
      rows.push({ depth, checkpointEvery, peakMiB: info.peakBytes / 2 ** 20, milliseconds });
      tf.dispose([params, b.x, b.y, x, y]);
    }
  }
  return rows;
}
