import * as tf from '@tensorflow/tfjs-core';
import { setupBackend } from '@learnability/backends';
import { BACKEND_REQUESTS, KERNELS } from '@learnability/presets';
import type { Io } from '../io.js';
import { formatTable } from '../render/table.js';
import { flagHelp, parseSchemaFlags, threadsOffWasm, wasmThreadsFlag } from '../schema-flags.js';
import type { FlagSpecs } from '../schema-flags.js';
import { median } from '@learnability/core';

import { formatStats } from './stats.js';
import { timeRoundRobin } from './align-bench.js';
import type { SampleSummary } from '@learnability/core';

const FLAGS = {
  backend: { type: 'enum', values: BACKEND_REQUESTS, default: 'wasm', doc: 'backend of every case' },
  threads: wasmThreadsFlag('wasm threads (default: all cores)'),
  widths: { type: 'int[]', default: [256, 1024], min: 1, doc: 'hidden widths w timed' },
  steps: { type: 'int', default: 40, min: 1, doc: 'steps per timed block' },
  repeats: { type: 'int', default: 3, min: 1, doc: 'timed blocks per case (round-robin)' },
} as const satisfies FlagSpecs;

const HELP = `learnability bench align [options] [--json]

Training steps/s of backprop and the backprop-free rules on the same MNIST MLP (784 → w → w →
10, NTK, MSE, plain SGD, batch 64, preset align-mnist): SGD through tf.grad, the Align trainers'
hand-written backprop, Align-zero, Align-ada (both gates), FA and DFA, with each one's speed
relative to backprop (both implementations): the median over the rounds of each round's ratio, of
steps per CPU second of the process, which other jobs on a shared machine disturb far less than
wall time (on webgpu, of wall time: the GPU's work is not the process's CPU time). Cases are timed
round-robin, one block each in turn after a warm-up of a second or more, so a change in the
machine's load falls on all of them alike. The Align rules run a second forward pass through the
frozen θ₀.

${flagHelp(FLAGS)}`;

/** The trainers timed, as overrides of the align-mnist preset. */
const RULES: { label: string; set: string[] }[] = [
  { label: 'backprop (sgd, tf.grad)', set: ['trainer={"name":"sgd","loss":"mse","lr":4}'] },
  { label: 'backprop (hand-written)', set: ['trainer.name="backprop"'] },
  { label: 'align-zero', set: ['trainer.name="align-zero"'] },
  { label: 'align-ada (current gate)', set: ['trainer.name="align-ada"', 'trainer.gate="current"'] },
  { label: 'align-ada (frozen gate)', set: ['trainer.name="align-ada"', 'trainer.gate="frozen"'] },
  { label: 'fa', set: ['trainer.name="fa"'] },
  { label: 'dfa', set: ['trainer.name="dfa"'] },
];

export async function benchAlignCommand(argv: string[], io: Io): Promise<number> {
  const parsed = parseSchemaFlags('bench align', argv, FLAGS, threadsOffWasm);
  if (parsed.help) return (io.out(HELP), 0);
  const { widths, steps, repeats, threads } = parsed.values;
  const backend = await setupBackend(parsed.values.backend, {
    kernels: KERNELS,
    ...(threads !== null ? { threads } : {}),
  });

  const clock = backend.name === 'webgpu' ? 'wall' : 'cpu';
  const results: {
    width: number;
    rule: string;
    stepsPerSecond: SampleSummary;
    stepsPerCpuSecond: SampleSummary;
    relativeToTfGrad: number;
    relativeToHandWritten: number;
  }[] = [];
  for (const width of widths) {
    const cases = RULES.map((rule) => ({ set: [...rule.set, `model.widths=[${width},${width}]`, 'run.batchSize=64'] }));
    const timed = await timeRoundRobin('align-mnist', cases, steps, repeats, (r) =>
      io.status(`width ${width}: block ${r + 1} of ${repeats} for each rule on ${backend.name}…`),
    );
    // Each round's ratio, then their median: from CPU time, steadier than wall time on a shared
    // machine, except on webgpu, whose work on the GPU the process's CPU time leaves out.
    const rates = timed.map((t) => t[clock].samples);
    const relative = (i: number, to: number) =>
      median((rates[i] ?? []).map((x, r) => x / (rates[to]?.[r] ?? Number.NaN)));
    timed.forEach((t, i) =>
      results.push({
        width,
        rule: RULES[i]?.label ?? '',
        stepsPerSecond: t.wall,
        stepsPerCpuSecond: t.cpu,
        relativeToTfGrad: relative(i, 0),
        relativeToHandWritten: relative(i, 1),
      }),
    );
  }
  io.status('');
  const result = {
    benchmark: 'align',
    backend: backend.name,
    threads: backend.threads ?? null,
    ratiosOf: clock,
    tfjs: tf.version_core,
    steps,
    repeats,
    batchSize: 64,
    results,
  };
  if (parsed.json) {
    io.out(JSON.stringify(result));
    return 0;
  }
  io.out(
    `backend ${backend.name}${backend.threads ? `, ${backend.threads} thread(s)` : ''}; MNIST MLP 784→w→w→10, batch 64; medians (min–max) over ${repeats} blocks of ${steps} steps, timed round-robin (shared machine: noisy)`,
  );
  io.out(
    formatTable(
      [
        'width',
        'rule',
        'steps/s (wall)',
        'steps per CPU s',
        ...[`vs tf.grad backprop (${clock})`, `vs hand-written backprop (${clock})`],
      ],
      results.map((r) => [
        String(r.width),
        r.rule,
        formatStats(r.stepsPerSecond, 1),
        formatStats(r.stepsPerCpuSecond, 1),
        `${r.relativeToTfGrad.toFixed(2)}×`,
        `${r.relativeToHandWritten.toFixed(2)}×`,
      ]),
    ),
  );
  return 0;
}
