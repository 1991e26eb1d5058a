import * as tf from '@tensorflow/tfjs-core';
import { setupBackend } from '@learnability/backends';
import { KERNELS } from '@learnability/presets';
import { trainingLoop } from '../bench/train-bench.js';
await setupBackend((process.argv[2] ?? 'webgpu') as 'webgpu', { kernels: KERNELS });
for (const preset of process.argv.slice(3)) {
  const loop = trainingLoop({ label: preset, preset, set: [] }, 1);
  await loop.block(2);
  const counts = new Map<string, number>();
  const p = await tf.profile(async () => {
    await loop.block(1);
  });
  for (const k of p.kernels) counts.set(k.name, (counts.get(k.name) ?? 0) + 1);
  console.log(preset, p.kernels.length, loop.trainStep().slice(0, 200));
  console.log(
    '   ',
    [...counts]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 14)
      .map(([n, c]) => `${n}:${c}`)
      .join(' '),
  );
  loop.dispose();
}
