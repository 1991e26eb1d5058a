/**
 * `bench gpu`'s comparisons paired in time. Each round times every workload ours, then the
 * reference's, seconds apart, and takes the ratio within the round; a row reports the median of
 * its rounds' ratios with their range. On a machine whose speed drifts over minutes (a shared VM,
 * a CPU reference), two measurements minutes apart can differ by more than the effect measured.
 */
import type { OurMeasurement } from './gpu-measure.js';
import { speedRatio } from './gpu-measure.js';
import type { TorchGpuReference, TrainedWorkload } from './gpu-reference.js';
import type { GpuBenchPlan } from './gpu-workloads.js';
import { summarizeSamples } from '@learnability/core';
import type { SampleSummary } from '@learnability/core';

/** What a row is compared with: PyTorch's figure, or our other backend's for `run`. */
export interface RowReference {
  name: string;
  value: SampleSummary;
  paramCount?: number;
  /** On the CPU: the OpenBLAS threads PyTorch ran this model on, one per round that had a reference. */
  blasThreads?: number[];
}

/** One workload in one round: our measurement, its reference and their ratio (> 1: ours is faster). */
export interface RoundRow extends OurMeasurement {
  reference: RowReference | null;
  ratio: number | null;
}

/** A row over every round: samples pooled, ratio the median of the rounds' ratios. */
export interface GpuRow extends RoundRow {
  /** The ratios of the rounds that had a reference (median, range, each in round order); null where none had. */
  ratios: SampleSummary | null;
}

/** The reference a round's row is compared with (PyTorch's figure, or our other backend for `run`) and the ratio. */
export function compareRound(m: OurMeasurement, torch: TorchGpuReference, plan: GpuBenchPlan): RoundRow {
  let reference: RowReference | null = null;
  if (m.workload === 'run') {
    const other = m.runs?.[1];
    if (other) reference = { name: `${plan.runReference} (ours)`, value: summarizeSamples([other.seconds]) };
  } else if (torch.ran) {
    const w = torch.result.workloads;
    const name = `PyTorch ${torch.result.device}`;
    const threads = (n?: number) => (n === undefined ? {} : { blasThreads: [n] });
    if ((m.workload === 'parity' || m.workload === 'mlp512') && w[m.workload]) {
      const value = (w[m.workload] as { stepsPerSecond: SampleSummary & { blasThreads?: number } }).stepsPerSecond;
      reference = { name, value, ...threads(value.blasThreads) };
    }
    if (['looped', 'standard', 'rcnn', 'rnn'].includes(m.workload) && w[m.workload as 'rnn']) {
      const t = w[m.workload as 'rnn'] as TrainedWorkload;
      reference = { name, value: t.stepsPerSecond, paramCount: t.paramCount, ...threads(t.blasThreads) };
    }
    if (m.workload === 'replicas' && w.replicas)
      reference = {
        name: w.replicas.way === 'sequential' ? `${name} (one network after another)` : name,
        value: w.replicas.seconds,
        ...threads(w.replicas.blasThreads),
      };
    if (m.workload === 'matmul' && w.matmul) reference = { name, value: w.matmul.tflops };
  }
  return { ...m, reference, ratio: reference ? speedRatio(m.unit, m.ours.median, reference.value.median) : null };
}

/**
 * One row per workload from `rounds` (each round's rows in the same workload order): our samples
 * and the reference's pooled over the rounds, the ratio the median of the rounds' ratios, and
 * the rest (training step, breakdown, parameter count, the run row's runs) from the first round.
 */
export function pairRounds(rounds: readonly (readonly RoundRow[])[]): GpuRow[] {
  const first = rounds[0] ?? [];
  return first.map((row, i) => {
    const all = rounds.map((r) => r[i] as RoundRow);
    const refs = all.flatMap((r) => (r.reference ? [r.reference] : []));
    const ratios = all.flatMap((r) => (r.ratio === null ? [] : [r.ratio]));
    const threads = refs.flatMap((r) => r.blasThreads ?? []);
    const reference: RowReference | null =
      refs.length === 0
        ? null
        : {
            ...(refs[0] as RowReference),
            value: summarizeSamples(refs.flatMap((r) => r.value.samples)),
            ...(threads.length > 0 ? { blasThreads: threads } : {}),
          };
    const ofRounds = ratios.length > 0 ? summarizeSamples(ratios) : null;
    return {
      ...row,
      ours: summarizeSamples(all.flatMap((r) => r.ours.samples)),
      reference,
      ratio: ofRounds?.median ?? null,
      ratios: ofRounds,
    };
  });
}
