import { replicaRngs } from '@learnability/core';
import { createSparseParityTask } from '@learnability/parity';
const t = createSparseParityTask({ n: 50, k: 3 });
const rngs = replicaRngs(0, 1024);
for (let k = 0; k < 4; k++) {
  let t0 = performance.now();
  for (let i = 0; i < 20; i++) for (const r of rngs) t.sampleHost(32, r);
  console.log('sampleHost ms per batch', ((performance.now() - t0) / 20).toFixed(2));
  t0 = performance.now();
  const x = new Float32Array(1600);
  for (let i = 0; i < 20; i++) for (const r of rngs) r.signs(x);
  console.log('signs ms per batch', ((performance.now() - t0) / 20).toFixed(2));
}
