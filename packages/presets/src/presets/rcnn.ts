/**
 * Presets for the RCNN of Goel, Kakade, Kalai, Zhang 2022 (docs/papers.md §2). The paper is
 * theoretical (no experiments, no code), so the grid, channels, depth and optimiser are the
 * project's choices (packages/models/rcnn/README.md); `learnability run rcnn-vs-elimination`
 * starts from `rcnn-parity` and overrides n, k and the run length.
 */
import type { Preset } from '../presets.js';

/** Adam 3e-3 on the squared error: plain SGD at the dense net's lr 0.1 is unstable through the recurrent unroll. */
const adam = { name: 'adam', lr: 3e-3, loss: 'mse' };

const inContextTask = { name: 'in-context-parity', n: 4, k: 2, examples: 8 };
const inContextRun = { batchSize: 32, evalEvery: 100, testSize: 1_000 };

export const RCNN_PRESETS: readonly Preset[] = [
  {
    name: 'rcnn-parity',
    description:
      'direct use: n=16, k=3 sparse parity, RCNN (dense first layer onto a 1×16 grid, C=8, one 1×3 filter, T=17), Adam 3e-3, batch 32, fresh samples; 2 replicas + GF(2) elimination on the same stream',
    config: {
      task: { name: 'sparse-parity', n: 16, k: 3 },
      model: { name: 'rcnn', channels: 8 },
      trainer: adam,
      run: { steps: 5_000, batchSize: 32, evalEvery: 100, testSize: 1_000, replicas: 2 },
      learners: [{ name: 'gf2-elimination' }],
    },
  },
  {
    name: 'rcnn-in-context-parity',
    description:
      'in-context use: prompts of m=8 rows (x ∈ {±1}^4, y) and a query row, each with its own k=2 subset, on a 9×5 grid (one cell per entry), C=8, T=14, Adam 3e-3, batch 32',
    config: {
      task: inContextTask,
      model: { name: 'rcnn', channels: 8 },
      trainer: adam,
      run: { ...inContextRun, steps: 3_000 },
    },
  },
  {
    name: 'rcnn-in-context-parity-deep',
    description:
      'the in-context preset unrolled T=256 steps: gradient checkpointing (segments of 16) keeps the backward pass to ≈ 16 + 16 states instead of 256',
    config: {
      task: inContextTask,
      model: { name: 'rcnn', channels: 8, depth: 256 },
      trainer: adam,
      run: { ...inContextRun, steps: 200, evalEvery: 50 },
    },
  },
];
