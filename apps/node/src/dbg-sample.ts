import * as tf from '@tensorflow/tfjs-core';
import { setupBackend } from '@learnability/backends';
import { replicaRngs } from '@learnability/core';
import { ReplicaSampler } from '@learnability/experiment';
import { resolveCase, TRAIN_CASES } from './bench/train-bench.js';
await setupBackend('cpu' as never);
const a = resolveCase(TRAIN_CASES[0]!, 1024);
const sampler = new ReplicaSampler(a.task, replicaRngs(0, 1024), 32, null);
for (let k = 0; k < 3; k++) {
  const t0 = performance.now();
  for (let i = 0; i < 20; i++) { const b = sampler.next(); tf.dispose([b.x, b.y]); }
  console.log('ms per batch', ((performance.now() - t0) / 20).toFixed(2));
}
