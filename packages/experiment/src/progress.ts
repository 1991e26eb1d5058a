import type { LearnedEvent, OutputKind, RunOptions, RunSummary, StreamLearner } from '@learnability/core';
import type { Checkpoint } from './checkpoint.js';
import type { HostExamples } from './sampler.js';
import type { RunExperimentOptions } from './run-experiment.js';

/** The median of sorted values (the mean of the middle two for an even count), or null. */
function median(sorted: number[]): number | null {
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Learned-at bookkeeping for replicas and stream learners, and the final summary. */
export class Progress {
  readonly learnedAtStep: (number | null)[];
  private readonly learnerDoneAt = new Map<string, number>();

  constructor(
    replicas: number,
    private readonly learners: StreamLearner[],
    resume: Checkpoint | undefined,
  ) {
    this.learnedAtStep = resume ? [...resume.learnedAtStep] : new Array<number | null>(replicas).fill(null);
    for (const [name, samples] of Object.entries(resume?.learnersLearned ?? {})) this.learnerDoneAt.set(name, samples);
  }

  /** Feeds replica 0's newest examples to every learner still learning; returns their learned events. */
  feedLearners(host: HostExamples | null, step: number): LearnedEvent[] {
    const events: LearnedEvent[] = [];
    if (host === null) return events;
    for (const learner of this.learners) {
      if (this.learnerDoneAt.has(learner.name)) continue;
      if (learner.observe(host.x, host.y)) {
        const samples = learner.learnedAtSample ?? learner.samplesSeen;
        this.learnerDoneAt.set(learner.name, samples);
        events.push({ type: 'learned', learner: learner.name, step, samples });
      }
    }
    return events;
  }

  /** Records replicas whose test accuracy reached the threshold at this eval. */
  markLearned(testAccuracy: (number | null)[], o: RunOptions, kind: OutputKind, step: number): LearnedEvent[] {
    const events: LearnedEvent[] = [];
    if (kind === 'real') return events;
    testAccuracy.forEach((acc, r) => {
      if (this.learnedAtStep[r] === null && acc !== null && acc >= o.learnedThreshold) {
        this.learnedAtStep[r] = step;
        events.push({ type: 'learned', learner: r, step, samples: step * o.batchSize });
      }
    });
    return events;
  }

  learnersDone(): boolean {
    return this.learners.every((l) => this.learnerDoneAt.has(l.name));
  }

  learnersLearned(): Record<string, number> {
    return Object.fromEntries(this.learnerDoneAt);
  }

  /** Every replica has learned (or, given `divergedAtStep`, learned or diverged) and every learner is done. */
  allLearned(divergedAtStep?: (number | null)[]): boolean {
    return this.learnedAtStep.every((s, r) => s !== null || (divergedAtStep?.[r] ?? null) !== null) && this.learnersDone();
  }

  summary(a: {
    run: RunExperimentOptions;
    options: RunOptions;
    status: RunSummary['status'];
    message: string | undefined;
    step: number;
    samplesSeen: number;
    lastScores: { acc: (number | null)[]; err: number[]; loss: number[] };
    divergedAtStep: (number | null)[];
    testHost: HostExamples;
    wallSeconds: number;
    backend: string;
  }): RunSummary {
    const o = a.options;
    const learned = this.learnedAtStep.filter((s): s is number => s !== null).sort((x, y) => x - y);
    const accs = a.lastScores.acc.filter((v): v is number => v !== null);
    return {
      runId: a.run.runId,
      config: a.run.config,
      seed: o.seed,
      versions: a.run.versions ?? {},
      status: a.status,
      ...(a.message === undefined ? {} : { message: a.message }),
      steps: a.step,
      samplesSeen: a.samplesSeen,
      learnedAtStep: median(learned),
      successRate: this.learnedAtStep.length ? learned.length / this.learnedAtStep.length : 0,
      testAccuracy: accs.length ? accs.reduce((s, v) => s + v, 0) / accs.length : null,
      replicas: this.learnedAtStep.map((s, r) => ({
        replica: r,
        seed: o.seed + r,
        learnedAtStep: s,
        learnedAtSamples: s === null ? null : s * o.batchSize,
        testAccuracy: a.lastScores.acc[r] ?? null,
        testError: a.lastScores.err[r] ?? Number.NaN,
        finalLoss: a.lastScores.loss[r] ?? Number.NaN,
        divergedAtStep: a.divergedAtStep[r] ?? null,
      })),
      learners: this.learners.map((l) => ({
        name: l.name,
        learnedAtSample: this.learnerDoneAt.get(l.name) ?? null,
        samplesSeen: l.samplesSeen,
        testAccuracy: l.accuracy(a.testHost.x, a.testHost.y),
      })),
      wallSeconds: a.wallSeconds,
      backend: a.backend,
    };
  }
}
