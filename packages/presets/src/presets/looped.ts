/**
 * Presets for Yang, Lee, Nowak, Papailiopoulos 2023 (docs/papers.md §5). The paper-scale ones carry
 * the paper's numbers (D = 256, 8 heads, d = 20, Adam 1e-4, batch 64, 500k steps, curricula) and
 * are far beyond a CPU; the `-small` pair is what `learnability run looped-vs-standard` trains
 * here (d, D, points and steps shrunk; docs/reproductions/looped-transformer.md says by how much).
 */
import type { Preset } from '../presets.js';

/**
 * The curricula of the authors' code (Leiay/looped_transformer, configs/base_loop.yaml): dims
 * 5 → 20 (+1) and points 11 → 41 (+2), each every 5,000 steps; the decision-tree and ReLU-net
 * configs train on points 26 → 101 (+5) instead (configs/decision_tree, relu_2nn_regression).
 * Their decision-tree task ignores the dims curriculum (scripts/tasks.py: x and the split
 * coordinates range over all 20 dims from the first step), so its preset has none.
 */
const CURRICULUM_INTERVAL = 5_000;
const SHORT_PROMPTS = { start: 11, end: 41, increment: 2 };
const LONG_PROMPTS = { start: 26, end: 101, increment: 5 };
type Prompts = typeof SHORT_PROMPTS;

const DIMS_CURRICULUM = { dimsStart: 5, dimsIncrement: 1, dimsInterval: CURRICULUM_INTERVAL };

const paperTask = (name: string, prompts: Prompts, extra: Record<string, unknown> = {}) => ({
  name,
  dims: 20,
  points: prompts.end,
  ...(name === 'decision-tree' ? {} : DIMS_CURRICULUM),
  ...extra,
});

/** Loop curriculum from T, +2 every 500 steps, up to b (docs/papers.md §5), and the points curriculum. */
const paperTrainer = (lossLoops: number, prompts: Prompts) => ({
  name: 'looped-adam',
  lr: 1e-4,
  lossLoops,
  loopsStart: lossLoops,
  loopsIncrement: 2,
  loopsInterval: 500,
  pointsStart: prompts.start,
  pointsIncrement: prompts.increment,
  pointsInterval: CURRICULUM_INTERVAL,
});

/**
 * A prompt at full size holds ≈ 3 MB of activations in evaluation (82 tokens × D = 256, measured on
 * wasm): 1,280 at once would fill wasm's 4 GiB heap, so the test set goes through 256 at a time.
 */
const paperRun = {
  steps: 500_000,
  batchSize: 64,
  evalEvery: 1_000,
  testSize: 1_280,
  evalChunk: 256,
  stopWhenLearned: false,
};

const looped = (loops: number) => ({ name: 'looped-transformer', embedSize: 256, heads: 8, layers: 1, loops });

/**
 * The laptop-scale task both small presets share: d = 4, P = 9 points (the paper: 20, 41), no
 * dims or points curriculum — at this size they slowed learning (a 1,500-step trial of the small
 * standard model reached test error/d 0.72 with them and 0.45 without).
 */
const smallTask = { name: 'linear-regression', dims: 4, points: 9 };
const smallRun = { steps: 4_000, batchSize: 64, evalEvery: 250, testSize: 256, stopWhenLearned: false };
const smallTrainer = { name: 'looped-adam', lr: 3e-3 };

export const LOOPED_PRESETS: readonly Preset[] = [
  {
    name: 'looped-linear-regression',
    description:
      'paper scale: in-context linear regression d=20, 41 points, looped GPT-2 (1 block, D=256, 8 heads) b=20, T=15, Adam 1e-4, batch 64, 500k steps, curricula (Yang et al. 2023)',
    config: {
      task: paperTask('linear-regression', SHORT_PROMPTS),
      model: looped(20),
      trainer: paperTrainer(15, SHORT_PROMPTS),
      run: paperRun,
    },
  },
  {
    name: 'standard-linear-regression',
    description:
      'paper scale: the 12-layer GPT-2 baseline (D=256, 8 heads, 9.48M block parameters) on the same task and curricula (Garg et al. 2022; Yang et al. 2023)',
    config: {
      task: paperTask('linear-regression', SHORT_PROMPTS),
      model: { name: 'looped-transformer', embedSize: 256, heads: 8, layers: 12, loops: 1 },
      trainer: { ...paperTrainer(1, SHORT_PROMPTS), loopsStart: null },
      run: paperRun,
    },
  },
  {
    name: 'looped-sparse-linear-regression',
    description: 'paper scale: sparse linear regression (3 nonzeros) d=20, looped GPT-2 b=20, T=10 (Yang et al. 2023)',
    config: {
      task: paperTask('sparse-linear-regression', SHORT_PROMPTS, { sparsity: 3 }),
      model: looped(20),
      trainer: paperTrainer(10, SHORT_PROMPTS),
      run: paperRun,
    },
  },
  {
    name: 'looped-decision-tree',
    description:
      "paper scale: depth-4 decision trees d=20 (no dims curriculum, as in the authors' code), 101 points (curriculum from 26), looped GPT-2 b=70, T=15 (Yang et al. 2023)",
    config: {
      task: paperTask('decision-tree', LONG_PROMPTS, { depth: 4 }),
      model: looped(70),
      trainer: paperTrainer(15, LONG_PROMPTS),
      run: paperRun,
    },
  },
  {
    name: 'looped-relu-net',
    description:
      'paper scale: 2-layer ReLU nets (100 hidden) d=20, 101 points (curriculum from 26), looped GPT-2 b=12, T=5 (Yang et al. 2023)',
    config: {
      task: paperTask('relu-net', LONG_PROMPTS, { hidden: 100 }),
      model: looped(12),
      trainer: paperTrainer(5, LONG_PROMPTS),
      run: paperRun,
    },
  },
  {
    name: 'looped-linear-regression-small',
    description:
      'laptop scale: linear regression d=4, 9 points, looped GPT-2 (1 block, D=32, 4 heads) b=8, T=4 (loop curriculum 4 → 8), Adam 3e-3, batch 64, 4,000 steps',
    config: {
      task: smallTask,
      model: { name: 'looped-transformer', embedSize: 32, heads: 4, layers: 1, loops: 8 },
      trainer: { ...smallTrainer, lossLoops: 4, loopsStart: 4, loopsIncrement: 2, loopsInterval: 250 },
      run: smallRun,
    },
  },
  {
    name: 'standard-linear-regression-small',
    description:
      'laptop scale: the 4-layer GPT-2 baseline (D=32, 4 heads) for looped-linear-regression-small, same task, optimiser and steps',
    config: {
      task: smallTask,
      model: { name: 'looped-transformer', embedSize: 32, heads: 4, layers: 4, loops: 1 },
      trainer: { ...smallTrainer, lossLoops: 1 },
      run: smallRun,
    },
  },
];
