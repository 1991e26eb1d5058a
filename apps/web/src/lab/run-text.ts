/**
 * The words the lab shows about a run: its id, the backend it got, one status line per eval and
 * at the end. Pure functions of the run's events, so they are tested without a page.
 */
import type { BackendInfo, GpuAdapterSummary } from '@learnability/backends';
import type { EvalEvent, RunSummary } from '@learnability/core';

/** A number to 3 significant digits (`digits`), or `–` for null and non-finite values. */
export function fmt(v: number | null | undefined, digits = 3): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '–' : String(Number(v.toPrecision(digits)));
}

/** `google · swiftshader (software fallback adapter)`: vendor, architecture, description. */
export function describeAdapter(a: GpuAdapterSummary): string {
  const parts = [a.vendor || 'unknown vendor', a.architecture || 'unknown architecture', a.description].filter(Boolean);
  return `${parts.join(' · ')}${a.isFallbackAdapter ? ' (software fallback adapter)' : ''}`;
}

/** What setupBackend set up, in one line. */
export function describeBackend(info: BackendInfo): string {
  if (info.name === 'webgpu') return `webgpu on adapter ${info.adapter ? describeAdapter(info.adapter) : 'unknown'}`;
  if (info.name === 'wasm') return `wasm · ${info.threads ?? 1} thread(s) · SIMD ${info.simd ? 'on' : 'off'}`;
  return 'cpu (plain JavaScript)';
}

/**
 * Whether scores are a regression's: no accuracy anywhere, but a finite test error (MSE), as a
 * real-valued task's evaluations carry (the CLI judges those runs by test MSE too).
 */
export function isRegression(scores: readonly { testAccuracy: number | null; testError: number | null }[]): boolean {
  return (
    scores.every((s) => s.testAccuracy === null) &&
    scores.some((s) => s.testError !== null && Number.isFinite(s.testError))
  );
}

/** Whether evaluations are a regression's, by every replica's scores in them. */
export function evalsAreRegression(evals: readonly EvalEvent[]): boolean {
  // `isRegression` over every (eval, replica) pair, without building them: the plots ask at every eval.
  const finite = (v: number | null | undefined) => v !== null && v !== undefined && Number.isFinite(v);
  return (
    evals.every((e) => e.testAccuracy.every((a) => a === null)) &&
    evals.some((e) => e.testAccuracy.some((_, r) => finite(e.testError[r])))
  );
}

/** The status line while a run goes: step, test accuracy (a regression's: test MSE) of each replica, speed. */
export function evalLine(e: EvalEvent, backend: string, totalSteps: number): string {
  const score = evalsAreRegression([e])
    ? `test MSE ${e.testError.map((v) => fmt(v)).join(', ')}`
    : `test acc ${e.testAccuracy.map((a) => fmt(a)).join(', ')}`;
  return `running on ${backend}: step ${e.step} / ${totalSteps} · ${score} · ${fmt(1000 / e.msPerStep)} steps/s`;
}

/** The status line when a run ends: how many replicas (and stream learners) learned, and when. */
export function summaryLine(s: RunSummary): string {
  const parts: string[] = [];
  if (s.replicas.length > 0 && isRegression(s.replicas))
    parts.push(
      `final test MSE ${s.replicas.map((r) => fmt(r.testError)).join(', ')} (a regression: judged by test MSE)`,
    );
  else if (s.replicas.length > 0) {
    const learned = s.replicas.filter((r) => r.learnedAtStep !== null).length;
    parts.push(`${learned}/${s.replicas.length} replicas learned`);
  }
  for (const l of s.learners)
    parts.push(
      l.learnedAtSample === null
        ? `${l.name} did not learn${l.reason ? ` (${l.reason})` : ''}`
        : `${l.name} learned from ${l.learnedAtSample} samples`,
    );
  return `${s.status} after ${s.steps} steps, ${fmt(s.wallSeconds)} s: ${parts.join(', ')}${s.message ? ` — ${s.message}` : ''}`;
}

/**
 * A "learned at" cell's lines, each with its unit. Samples are the unit replicas and stream
 * learners share exactly (a replica's: step × batch size at its first evaluation at the threshold;
 * a learner's, given without a step: those it read), as the CLI's "samples to learn" compares
 * them; a replica's step goes on a second line, which keeps the column phone-narrow. On a finite
 * training set a replica's samples are re-reads of that set, so it gets its step alone.
 */
export function learnedAtCell(at: { samples: number; step?: number } | undefined, finiteSet: boolean): string[] {
  if (at === undefined) return ['–'];
  const samples = `${at.samples.toLocaleString('en-US')} samples`;
  if (at.step === undefined) return [samples];
  return finiteSet ? [`step ${at.step}`] : [samples, `step ${at.step}`];
}

/** Whether a start event's config trains on a finite set (`run.trainSetSize` a number), not on fresh samples. */
export function trainsOnFiniteSet(config: unknown): boolean {
  const run = typeof config === 'object' && config !== null ? (config as { run?: unknown }).run : undefined;
  return (
    typeof run === 'object' && run !== null && typeof (run as { trainSetSize?: unknown }).trainSetSize === 'number'
  );
}

/** The one line a lost WebGPU device ends a run with (`reason`: the browser's GPUDeviceLostInfo message or reason). */
export function deviceLostLine(reason: string): string {
  return `the WebGPU device was lost (${reason}); the run stopped`;
}
