import { median } from '@learnability/core';
import type {
  LearnedEvent,
  OutputKind,
  RunOptions,
  RunSummary,
  StreamLearner,
  StreamLearnerSummary,
} from '@learnability/core';
import type { Checkpoint } from './checkpoint.js';
import type { HostExamples } from './sampler.js';
import type { RunExperimentOptions } from './run-experiment.js';

/**
 * Learned-at bookkeeping for replicas and stream learners, and the final summary. One verdict rule
 * for both: learned = held-out test accuracy ≥ the run's `learnedThreshold`.
 */
export class Progress {
  readonly learnedAtStep: (number | null)[];
  private readonly learnerLearnedAt = new Map<string, number>();
  /** Learners that had settled on an answer after the last batch (to score them when they first do). */
  private readonly settled = new Set<string>();

  constructor(
    replicas: number,
    private readonly learners: StreamLearner[],
    resume: Checkpoint | undefined,
    private readonly testHost: HostExamples,
    private readonly threshold: number,
  ) {
    this.learnedAtStep = resume ? [...resume.learnedAtStep] : new Array<number | null>(replicas).fill(null);
    for (const [name, samples] of Object.entries(resume?.learnersLearned ?? {}))
      this.learnerLearnedAt.set(name, samples);
  }

  /**
   * Once the learners' states are restored from a checkpoint: those that had settled before it are
   * not "just settled" at the resumed run's first step (which would score them there, and credit
   * their settling sample), but scored at evaluations, as the uninterrupted run scores them.
   */
  noteRestoredLearners(): void {
    for (const l of this.learners) if (l.settledAtSample !== null) this.settled.add(l.name);
  }

  /**
   * Feeds replica 0's newest examples to every learner still learning and scores a settled learner
   * on the test set when it first settles and at every evaluation (`evalNow`); returns the learned events.
   */
  feedLearners(host: HostExamples | null, step: number, evalNow: boolean): LearnedEvent[] {
    const events: LearnedEvent[] = [];
    if (host === null) return events;
    for (const learner of this.learners) {
      if (this.learnerLearnedAt.has(learner.name)) continue;
      const settled = learner.observe(host.x, host.y);
      const justSettled = settled && !this.settled.has(learner.name);
      if (settled) this.settled.add(learner.name);
      if (!(justSettled || (settled && evalNow))) continue;
      if (!(learner.accuracy(this.testHost.x, this.testHost.y) >= this.threshold)) continue;
      // Settled and accurate at once: it learned from the samples it settled with.
      const samples = justSettled ? (learner.settledAtSample ?? learner.samplesSeen) : learner.samplesSeen;
      this.learnerLearnedAt.set(learner.name, samples);
      events.push({ type: 'learned', learner: learner.name, step, samples });
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
    return this.learners.every((l) => this.learnerLearnedAt.has(l.name));
  }

  learnersLearned(): Record<string, number> {
    return Object.fromEntries(this.learnerLearnedAt);
  }

  /**
   * Every replica learned (or, given `divergedAtStep`, learned or diverged), and every learner
   * learned or settled (`stopWhenLearned` does not wait for a learner that has settled on an
   * answer that missed the target, e.g. elimination on noisy labels).
   */
  allLearned(divergedAtStep?: (number | null)[]): boolean {
    return (
      this.learnedAtStep.every((s, r) => s !== null || (divergedAtStep?.[r] ?? null) !== null) &&
      this.learners.every((l) => this.learnerLearnedAt.has(l.name) || this.settled.has(l.name))
    );
  }

  /**
   * The run's summary. A run of stream learners alone (`network` false) trained no replica: it has
   * none in `replicas`, and its success rate, learned-at step and test accuracy are its learners'
   * (the share that learned, the median step at which they did, their mean accuracy).
   */
  summary(a: {
    run: RunExperimentOptions;
    network: boolean;
    options: RunOptions;
    status: RunSummary['status'];
    message: string | undefined;
    step: number;
    samplesSeen: number;
    lastScores: { acc: (number | null)[]; err: number[]; loss: number[] };
    divergedAtStep: (number | null)[];
    wallSeconds: number;
    backend: string;
  }): RunSummary {
    const o = a.options;
    const learners = this.learners.map((l) => this.learnerSummary(l));
    const learned = a.network
      ? this.learnedAtStep.filter((s): s is number => s !== null)
      : learners.flatMap((l) => (l.learnedAtSample === null ? [] : [Math.ceil(l.learnedAtSample / o.batchSize)]));
    const accs = a.network
      ? a.lastScores.acc.filter((v): v is number => v !== null)
      : learners.map((l) => l.testAccuracy);
    const verdicts = a.network ? this.learnedAtStep.length : learners.length;
    return {
      runId: a.run.runId,
      config: a.run.config,
      seed: o.seed,
      versions: a.run.versions ?? {},
      status: a.status,
      ...(a.message === undefined ? {} : { message: a.message }),
      steps: a.step,
      samplesSeen: a.samplesSeen,
      learnedAtStep: learned.length ? median(learned) : null,
      successRate: verdicts ? learned.length / verdicts : 0,
      testAccuracy: accs.length ? accs.reduce((s, v) => s + v, 0) / accs.length : null,
      replicas: (a.network ? this.learnedAtStep : []).map((s, r) => ({
        replica: r,
        seed: o.seed + r,
        learnedAtStep: s,
        learnedAtSamples: s === null ? null : s * o.batchSize,
        testAccuracy: a.lastScores.acc[r] ?? null,
        testError: a.lastScores.err[r] ?? Number.NaN,
        finalLoss: a.lastScores.loss[r] ?? Number.NaN,
        divergedAtStep: a.divergedAtStep[r] ?? null,
      })),
      learners,
      wallSeconds: a.wallSeconds,
      backend: a.backend,
    };
  }

  /** A learner's verdict: learned at some sample count, or why not. */
  private learnerSummary(l: StreamLearner): StreamLearnerSummary {
    const learnedAtSample = this.learnerLearnedAt.get(l.name) ?? null;
    const testAccuracy = l.accuracy(this.testHost.x, this.testHost.y);
    const counts = l.counts?.();
    const out: StreamLearnerSummary = {
      name: l.name,
      learnedAtSample,
      samplesSeen: l.samplesSeen,
      testAccuracy,
      ...(counts ? { counts } : {}),
    };
    if (learnedAtSample !== null) return out;
    const seen = `${l.samplesSeen.toLocaleString('en-US')} samples`;
    const reason =
      l.diagnosis?.() ??
      (l.settledAtSample === null
        ? `not settled in ${seen}`
        : `test accuracy stayed below ${this.threshold} after ${seen}`);
    return { ...out, reason };
  }
}
