/**
 * `learnability bench unroll`: memory and time of one gradient through a deep RCNN unroll, plain
 * and gradient-checkpointed (what `checkpointEvery` buys).
 */
import * as tf from '@tensorflow/tfjs-core';
import { setupBackend } from '@learnability/backends';
import { createRng, replicaRngs, summarizeSamples } from '@learnability/core';
import { BACKEND_REQUESTS, KERNELS, applyOverrides, getPreset, resolve, validateConfig } from '@learnability/presets';
import type { Io } from '../io.js';
import { formatTable } from '../render/table.js';
import { flagHelp, parseSchemaFlags, threadsOffWasm, wasmThreadsFlag } from '../schema-flags.js';
import type { FlagSpecs } from '../schema-flags.js';
import { formatStats } from './stats.js';
import type { SampleSummary } from '@learnability/core';

const PRESET = 'rcnn-in-context-parity-deep';

const FLAGS = {
  backend: { type: 'enum', values: BACKEND_REQUESTS, default: 'wasm', doc: 'backend' },
  threads: wasmThreadsFlag('wasm threads (default: all cores)'),
  depths: { type: 'int[]', default: [16, 64, 256], min: 1, doc: 'unroll depths T' },
  batch: { type: 'int', default: 32, min: 1, doc: 'prompts per gradient' },
  repeats: { type: 'int', default: 5, min: 1, doc: 'timed gradients per case, after one warm-up' },
} as const satisfies FlagSpecs;

const HELP = `learnability bench unroll [options] [--json]

Memory and time of one gradient of the squared error through a T-step unroll of the in-context
RCNN (preset ${PRESET}, one replica), plain and with gradient checkpointing
in segments of ⌈√T⌉ steps. Peak: the most bytes the gradient holds at once, above its parameters
and batch (tf.profile). Time: median and spread (min–max) over the repeats, plain and
checkpointed timed in turn, so that a change in the machine's load falls on both alike.

${flagHelp(FLAGS)}`;

/** One gradient of the in-context RCNN at depth T: a function that computes and frees it, and `free` for its tensors. */
function gradientCase(depth: number, checkpointEvery: number, batch: number) {
  const sets = [`model.depth=${depth}`, `model.checkpointEvery=${checkpointEvery}`, 'run.replicas=1'];
  const { model, task } = resolve(validateConfig(applyOverrides(structuredClone(getPreset(PRESET).config), sets)));
  if (!model) throw new Error(`${PRESET} has no model`);
  const params = model.init(replicaRngs(0, 1));
  const b = task.sample(batch, createRng(1));
  const x = tf.reshape(b.x, [1, batch, ...task.inputShape]);
  const y = tf.reshape(b.y, [1, batch, 1]);
  const names = Object.keys(params);
  const loss = (...ts: tf.Tensor[]) => {
    const p = Object.fromEntries(names.map((n, i) => [n, ts[i] as tf.Tensor]));
    return tf.mean(tf.square(tf.sub(model.apply(p, x), y)));
  };
  // Returns no tensor: tf.profile takes it as is.
  const gradient = async (): Promise<tf.Tensor[]> => {
    const r = tf.valueAndGrads(loss)(Object.values(params));
    await r.value.data();
    tf.dispose([r.value, r.grads]);
    return [];
  };
  return { depth, checkpointEvery, gradient, free: () => tf.dispose([params, b.x, b.y, x, y]) };
}

export interface UnrollRow {
  depth: number;
  /** 0: plain unroll; else the segment length. */
  checkpointEvery: number;
  /** The most bytes the gradient holds at once, above the parameters and the batch it starts from. */
  peakMiB: number;
  milliseconds: SampleSummary;
}

/** For each depth, the plain and the checkpointed gradient: warmed up, timed in turn `repeats` times, then profiled. */
export async function benchUnroll(
  depths: readonly number[],
  batch: number,
  repeats: number,
  status: (line: string) => void = () => {},
): Promise<UnrollRow[]> {
  const rows: UnrollRow[] = [];
  for (const depth of depths) {
    status(`depth ${depth}: plain and checkpointed gradients…`);
    const cases = [0, Math.ceil(Math.sqrt(depth))].map((every) => gradientCase(depth, every, batch));
    try {
      for (const c of cases) await c.gradient();
      const times: number[][] = cases.map(() => []);
      for (let r = 0; r < repeats; r++)
        for (const [i, c] of cases.entries()) {
          const started = performance.now();
          await c.gradient();
          times[i]?.push(performance.now() - started);
        }
      // Profiling slows kernels down: the peak comes from a call of its own.
      for (const [i, c] of cases.entries()) {
        const before = tf.memory().numBytes;
        const { peakBytes } = await tf.profile(c.gradient);
        rows.push({
          depth,
          checkpointEvery: c.checkpointEvery,
          peakMiB: (peakBytes - before) / 2 ** 20,
          milliseconds: summarizeSamples(times[i] ?? []),
        });
      }
    } finally {
      for (const c of cases) c.free();
    }
  }
  status('');
  return rows;
}

export async function benchUnrollCommand(argv: string[], io: Io): Promise<number> {
  const parsed = parseSchemaFlags('bench unroll', argv, FLAGS, threadsOffWasm);
  if (parsed.help) return (io.out(HELP), 0);
  const { depths, batch, repeats, threads } = parsed.values;
  const backend = await setupBackend(parsed.values.backend, {
    kernels: KERNELS,
    ...(threads !== null ? { threads } : {}),
  });
  const rows = await benchUnroll(depths, batch, repeats, (line) => io.status(line));
  const result = {
    benchmark: 'unroll',
    preset: PRESET,
    backend: backend.name,
    threads: backend.threads ?? null,
    tfjs: tf.version_core,
    batch,
    repeats,
    rows,
  };
  if (parsed.json) return (io.out(JSON.stringify(result)), 0);
  io.out(
    `${PRESET}, batch ${batch}, one replica, ${backend.name}${backend.threads ? `, ${backend.threads} thread(s)` : ''}; ms: median (min–max) over ${repeats} gradients (shared machine: noisy)`,
  );
  io.out(
    formatTable(
      ['depth T', 'unroll', 'peak MiB', 'ms per gradient'],
      rows.map((r) => [
        String(r.depth),
        r.checkpointEvery === 0 ? 'plain' : `checkpointed, segments of ${r.checkpointEvery}`,
        r.peakMiB.toFixed(2),
        formatStats(r.milliseconds),
      ]),
    ),
  );
  return 0;
}
