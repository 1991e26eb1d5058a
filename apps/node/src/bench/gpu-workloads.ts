/**
 * The workloads of `learnability bench gpu` (docs/benchmarks.md, "GPU") and how big each one runs.
 */
import { isLoopedTransformer } from '@learnability/looped-transformer';
import { TRAIN_CASES, resolveCase } from './train-bench.js';
import type { TrainCase } from './train-bench.js';

export type GpuWorkload = 'parity' | 'mlp512' | 'replicas' | 'looped' | 'standard' | 'rcnn' | 'rnn' | 'matmul' | 'run';

/** Every workload, in the order they run and print. */
export const GPU_WORKLOADS: readonly GpuWorkload[] = [
  'parity',
  'mlp512',
  'replicas',
  'looped',
  'standard',
  'rcnn',
  'rnn',
  'matmul',
  'run',
];

/** The transformers at the paper's scale, or the laptop-scale `-small` presets (`--quick`). */
export type TransformerScale = 'paper' | 'small';

/** How much of each workload to run; every count is ≥ 1. */
export interface GpuBenchPlan {
  only: GpuWorkload[];
  /** Steps per timed block of the MLPs (parity, mlp512). Default 500. */
  steps: number;
  /** Timed blocks per workload (median and min–max over them). Default 5. */
  repeats: number;
  /** Rounds, each timing every workload ours then the reference's (gpu-rounds.ts). Default 1. */
  rounds: number;
  /** Replicas of the parity model trained as one program. Default 1,024. */
  replicas: number;
  /** Steps of the replicated run, timed once as a whole. Default 2,000. */
  replicaSteps: number;
  /** Default 'paper' (d = 20, 41 points, D = 256, 8 heads; b = 20, T = 15 / 12 layers). */
  transformerScale: TransformerScale;
  /** Steps per timed block of the transformers. Default 10. */
  transformerSteps: number;
  /** The transformers' batch; null: the preset's (64 at both scales). */
  transformerBatch: number | null;
  /** n of the RCNN's sparse parity (`rcnn-parity`: a 1 × n grid, T = n + 1). Default 32. */
  rcnnBits: number;
  /** Steps per timed block of the RCNN. Default 50. */
  rcnnSteps: number;
  /** Steps per timed block of the RNN (`align-add`'s network, trained by backprop and SGD). Default 20. */
  rnnSteps: number;
  /** n of the n × n matMul. Default 4096. */
  matmulSize: number;
  /** MatMuls per timed sample. Default 10. */
  matmulIters: number;
  /** Preset of the `run` row. Default 'sparse-parity' (the README's main job). */
  runPreset: string;
  /** `--set` overrides of the `run` row (none by default: the preset as a user runs it). */
  runSet: string[];
  /** The backend the `run` row is compared with. Default 'wasm' (our fast CPU path). */
  runReference: string;
  /** Wasm threads of the `run` row's runs that may use wasm (`--threads`); null: each measures its own, as `run` does. */
  runThreads: number | null;
}

export const DEFAULT_PLAN: GpuBenchPlan = {
  only: [...GPU_WORKLOADS],
  steps: 500,
  repeats: 5,
  rounds: 1,
  replicas: 1024,
  replicaSteps: 2000,
  transformerScale: 'paper',
  transformerSteps: 10,
  transformerBatch: null,
  rcnnBits: 32,
  rcnnSteps: 50,
  rnnSteps: 20,
  matmulSize: 4096,
  matmulIters: 10,
  runPreset: 'sparse-parity',
  runSet: [],
  runReference: 'wasm',
  runThreads: null,
};

/** `--quick`: every workload in seconds on a software adapter or a CI machine (not the full-size figures). */
export const QUICK_PLAN: GpuBenchPlan = {
  ...DEFAULT_PLAN,
  steps: 20,
  repeats: 3,
  replicas: 8,
  replicaSteps: 50,
  transformerScale: 'small',
  transformerSteps: 2,
  rcnnBits: 8,
  rcnnSteps: 5,
  rnnSteps: 3,
  matmulSize: 512,
  matmulIters: 2,
  runSet: ['task.n=12', 'model.widths=[64]', 'run.evalEvery=50', 'run.testSize=500'],
};

/** The training step every timed block runs at full size: curricula off, so b, T and the points are the final ones from step 1. */
const NO_CURRICULA = ['task.dimsStart=null', 'trainer.loopsStart=null', 'trainer.pointsStart=null'];

/**
 * The preset each training workload times (the replicas row times the parity model); the
 * transformers at the plan's scale and batch, the RCNN at the plan's n.
 */
export function trainCase(
  w: 'parity' | 'mlp512' | 'looped' | 'standard' | 'rcnn' | 'rnn',
  plan: Pick<GpuBenchPlan, 'transformerScale' | 'transformerBatch' | 'rcnnBits'>,
): TrainCase {
  if (w === 'parity') return TRAIN_CASES[0] as TrainCase;
  if (w === 'mlp512') return TRAIN_CASES[1] as TrainCase;
  if (w === 'rcnn') return { label: w, preset: 'rcnn-parity', set: [`task.n=${plan.rcnnBits}`] };
  if (w === 'rnn') return { label: w, preset: 'align-add', set: [RNN_TRAINER] };
  const small = plan.transformerScale === 'small' ? '-small' : '';
  const batch = plan.transformerBatch === null ? [] : [`run.batchSize=${plan.transformerBatch}`];
  return { label: w, preset: `${w}-linear-regression${small}`, set: [...NO_CURRICULA, ...batch] };
}

/** A transformer case as plain numbers: what `bench/torch_transformer.py` builds to match it. */
export interface TransformerSpec {
  dims: number;
  points: number;
  embedSize: number;
  heads: number;
  layers: number;
  loops: number;
  lossLoops: number;
  batch: number;
  lr: number;
  /** Ours (`model.paramCount`), to set beside PyTorch's count. */
  paramCount: number;
}

/** Reads a transformer case's resolved model and trainer, so the PyTorch model is built from the same numbers. */
export function transformerSpec(c: TrainCase): TransformerSpec {
  const { config, model, trainer } = resolveCase(c, 1);
  if (!isLoopedTransformer(model)) throw new Error(`bench gpu: preset ${c.preset} is not a looped-transformer model`);
  const m = model.config;
  const t = trainer.describe() as { lr?: unknown; lossLoops?: unknown };
  if (typeof t.lr !== 'number' || typeof t.lossLoops !== 'number')
    throw new Error(`bench gpu: preset ${c.preset}'s trainer has no lr / lossLoops`);
  return {
    dims: m.tokenSize,
    points: m.tokens / 2,
    embedSize: m.embedSize,
    heads: m.heads,
    layers: m.layers,
    loops: m.loops,
    lossLoops: Math.min(t.lossLoops, m.loops),
    batch: config.run.batchSize,
    lr: t.lr,
    paramCount: model.paramCount,
  };
}

/** "looped GPT-2 d=20, 41 points, D=256, 8 heads, b=20, T=15, batch 64, Adam" */
export function transformerLabel(w: 'looped' | 'standard', s: TransformerSpec): string {
  const shape = `d=${s.dims}, ${s.points} points, D=${s.embedSize}, ${s.heads} heads`;
  return w === 'looped'
    ? `looped GPT-2 ${shape}, b=${s.loops}, T=${s.lossLoops}, batch ${s.batch}, Adam`
    : `${s.layers}-layer GPT-2 ${shape}, batch ${s.batch}, Adam`;
}

/** An RCNN case as plain numbers: what `bench/torch_rcnn.py` builds to match it (a dense first layer, gated steps). */
export interface RcnnSpec {
  inputSize: number;
  inputRows: number;
  inputCols: number;
  gridHeight: number;
  gridWidth: number;
  channels: number;
  kernelHeight: number;
  kernelWidth: number;
  depth: number;
  readoutWidth: number;
  /** Steps per recomputed segment; 0: a plain unroll. */
  checkpointEvery: number;
  batch: number;
  lr: number;
  /** The parity's degree (its first k bits). */
  k: number;
  /** Ours (`model.paramCount`), to set beside PyTorch's count. */
  paramCount: number;
}

/** A case's resolved config and model, the model's `describe()` and the trainer's learning rate (checked), for a PyTorch spec. */
function specFacts(c: TrainCase) {
  const { config, model, trainer } = resolveCase(c, 1);
  const lr = (trainer.describe() as { lr?: unknown }).lr;
  if (typeof lr !== 'number') throw new Error(`bench gpu: preset ${c.preset}'s trainer has no learning rate`);
  return { config, model, m: model.describe() as Record<string, unknown>, lr };
}

/** Reads the RCNN case's resolved model, task and trainer, so the PyTorch model is built from the same numbers. */
export function rcnnSpec(c: TrainCase): RcnnSpec {
  const { config, model, m, lr } = specFacts(c);
  const int = (key: string) => {
    const v = m[key];
    if (typeof v !== 'number') throw new Error(`bench gpu: preset ${c.preset}'s model has no ${key}`);
    return v;
  };
  if (m.name !== 'rcnn' || m.embedding !== 'dense' || m.update !== 'gated')
    throw new Error(`bench gpu: preset ${c.preset} must be an RCNN with a dense first layer and gated steps`);
  const k = (config.task as { k?: unknown }).k;
  if (typeof k !== 'number') throw new Error(`bench gpu: preset ${c.preset} has no parity degree k`);
  const keys = [
    'inputRows',
    'inputCols',
    'gridHeight',
    'gridWidth',
    'channels',
    'kernelHeight',
    'kernelWidth',
  ] as const;
  return {
    inputSize: int('inputRows') * int('inputCols'),
    ...(Object.fromEntries(keys.map((key) => [key, int(key)])) as Record<(typeof keys)[number], number>),
    depth: int('depth'),
    readoutWidth: int('readoutWidth'),
    checkpointEvery: int('checkpointEvery'),
    batch: config.run.batchSize,
    lr,
    k,
    paramCount: model.paramCount,
  };
}

/** "RCNN n=32: 1×32 grid, C=8, 1×3 filter, T=33, plain unroll, Adam, batch 32" */
export function rcnnLabel(s: RcnnSpec): string {
  const unroll = s.checkpointEvery === 0 ? 'plain unroll' : `checkpointed every ${s.checkpointEvery}`;
  const shape = `${s.gridHeight}×${s.gridWidth} grid, C=${s.channels}, ${s.kernelHeight}×${s.kernelWidth} filter`;
  return `RCNN n=${s.inputSize}: ${shape}, T=${s.depth}, ${unroll}, Adam, batch ${s.batch}`;
}

/**
 * The RNN row's trainer: backprop (`tf.grad`) and plain SGD on the MSE, which PyTorch's autograd
 * and `torch.optim.SGD` match (the preset's Align-ada has no PyTorch counterpart).
 */
const RNN_TRAINER = 'trainer={"name":"sgd","lr":0.01,"loss":"mse"}';

/** The RNN case as plain numbers: what `bench/torch_rnn.py` builds to match it. */
export interface RnnSpec {
  inputSize: number;
  steps: number;
  width: number;
  outputSize: number;
  batch: number;
  lr: number;
  /** Ours (`model.paramCount`), to set beside PyTorch's count. */
  paramCount: number;
}

/** Reads the RNN case's resolved model and trainer, so the PyTorch network is built from the same numbers. */
export function rnnSpec(c: TrainCase): RnnSpec {
  const { config, model, m, lr } = specFacts(c);
  const keys = ['inputSize', 'steps', 'width', 'outputSize'] as const;
  if (m.name !== 'rnn' || keys.some((k) => typeof m[k] !== 'number'))
    throw new Error(`bench gpu: preset ${c.preset} must be an RNN`);
  return {
    ...(Object.fromEntries(keys.map((k) => [k, m[k]])) as Record<(typeof keys)[number], number>),
    batch: config.run.batchSize,
    lr,
    paramCount: model.paramCount,
  };
}

/** "ReLU RNN T=100, width 64, batch 50, MSE, backprop + SGD" */
export const rnnLabel = (s: RnnSpec): string =>
  `ReLU RNN of align-add: T=${s.steps}, width ${s.width}, batch ${s.batch}, MSE, backprop + SGD`;

/** The shapes PyTorch rebuilds, for the workloads that have one. */
export interface GpuSpecs {
  looped?: TransformerSpec;
  standard?: TransformerSpec;
  rcnn?: RcnnSpec;
  rnn?: RnnSpec;
}
