import type { EndEvent, EvalEvent, LearnedEvent, RunEvent, StartEvent } from '@learnability/core';

/** A run record read back: the JSONL lines grouped by type. `end` is absent if the run was killed, or threw (the error goes to runExperiment's caller, not the record). */
export interface RunRecord {
  /** One start per session of the run (a resumed run has several). */
  starts: StartEvent[];
  evals: EvalEvent[];
  learned: LearnedEvent[];
  end: EndEvent | null;
}

/** One JSONL line per event. NaN and ±Infinity become null (JSON has no such numbers). */
export function eventToLine(e: RunEvent): string {
  return `${JSON.stringify(e)}\n`;
}

/** An integer ≥ 0 (a step, a count, an offset). */
export const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
/** A per-replica list as a record stores it: numbers, null where a value was not finite. */
const isScores = (v: unknown) => Array.isArray(v) && v.every((x) => x === null || typeof x === 'number');
const shown = (v: unknown) => (v === undefined ? 'nothing' : JSON.stringify(v)?.slice(0, 60));

/**
 * What is wrong with the fields of one event that readers of a record rely on (plot, resume,
 * sweeps), as `the "eval" line's "loss" …`, or null. Fields that older records lack are checked
 * only where present.
 */
function eventProblem(e: RunEvent): string | null {
  const bad = (field: string, expected: string, value: unknown) =>
    `its "${field}" must be ${expected}, but got ${shown(value)}`;
  const list = 'a list of numbers, one per replica (null where not finite)';
  switch (e.type) {
    case 'start':
      if (typeof e.runId !== 'string') return bad('runId', 'a string', e.runId);
      return isCount(e.replicas) && e.replicas > 0 ? null : bad('replicas', 'a positive integer', e.replicas);
    case 'eval': {
      if (!isCount(e.step)) return bad('step', 'an integer ≥ 0', e.step);
      if (!isScores(e.loss)) return bad('loss', list, e.loss);
      for (const field of ['trainAccuracy', 'testAccuracy', 'testError'] as const)
        if (e[field] !== undefined && !isScores(e[field])) return bad(field, list, e[field]);
      for (const field of ['trainAccuracy', 'testAccuracy'] as const)
        if (e[field]?.some((v) => v !== null && !(v >= 0 && v <= 1)))
          return bad(field, 'accuracies in [0, 1] (null where none)', e[field]);
      const measures = e.measures as unknown;
      const measuresOk =
        measures === undefined ||
        (typeof measures === 'object' && measures !== null && Object.values(measures).every(isScores));
      return measuresOk ? null : bad('measures', 'an object of lists of numbers, one per replica', measures);
    }
    case 'learned':
      if (!isCount(e.step)) return bad('step', 'an integer ≥ 0', e.step);
      if (!isCount(e.samples)) return bad('samples', 'an integer ≥ 0', e.samples);
      return typeof e.learner === 'number' || typeof e.learner === 'string'
        ? null
        : bad('learner', 'a replica index or a learner name', e.learner);
    case 'end': {
      if (typeof e.summary !== 'object' || e.summary === null) return bad('summary', 'an object', e.summary);
      const { steps, status } = e.summary as { steps?: unknown; status?: unknown };
      if (!isCount(steps)) return bad('summary.steps', 'an integer ≥ 0', steps);
      return typeof status === 'string' ? null : bad('summary.status', 'a string', status);
    }
    default:
      return null;
  }
}

/**
 * An eval line as a run writes it now: the lists older records lack (train and test scores) as
 * nulls, one per replica, and no measures as `{}`, so that readers need no case for them.
 */
function withCurrentFields(e: EvalEvent): EvalEvent {
  const nulls = () => e.loss.map(() => null);
  return {
    ...e,
    trainAccuracy: e.trainAccuracy ?? nulls(),
    testAccuracy: e.testAccuracy ?? nulls(),
    // A record writes a non-finite number as null, as here.
    testError: e.testError ?? (nulls() as unknown as number[]),
    measures: e.measures ?? {},
  };
}

/**
 * Parses a JSONL run record. A torn last line (a run killed mid-write) is ignored; any other
 * malformed line, an event whose fields are not what a run writes, or a start line of another
 * run than the first (two records in one file) is an error naming its line number. Eval lines
 * get the fields older records lack (`withCurrentFields`).
 */
export function parseRecord(text: string, source = 'record'): RunRecord {
  const record: RunRecord = { starts: [], evals: [], learned: [], end: null };
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let e: RunEvent;
    try {
      e = JSON.parse(line) as RunEvent;
    } catch {
      if (i === lines.length - 1) return;
      throw new Error(`${source}:${i + 1}: not a JSON line; expected one learnability run event per line`);
    }
    if (typeof e !== 'object' || e === null)
      throw new Error(`${source}:${i + 1}: not a run event; expected a JSON object with a "type" per line`);
    const problem = eventProblem(e);
    if (problem) throw new Error(`${source}:${i + 1}: a damaged "${e.type}" line: ${problem}`);
    switch (e.type) {
      case 'start': {
        const first = record.starts[0]?.runId;
        if (first !== undefined && e.runId !== first)
          throw new Error(
            `${source}:${i + 1}: a start line of run "${e.runId}" in the record of run "${first}": one file holds one run (and its resumed sessions); split the file`,
          );
        record.starts.push(e);
        break;
      }
      case 'eval': {
        // Every list holds one value per replica of the session it belongs to.
        const replicas = record.starts[record.starts.length - 1]?.replicas;
        const lists: [string, unknown[] | undefined][] = [
          ['loss', e.loss],
          ['trainAccuracy', e.trainAccuracy],
          ['testAccuracy', e.testAccuracy],
          ['testError', e.testError],
          ...Object.entries(e.measures ?? {}).map(([name, v]): [string, unknown[]] => [`measures.${name}`, v]),
        ];
        const wrong = lists.find(([, v]) => replicas !== undefined && v !== undefined && v.length !== replicas);
        if (wrong)
          throw new Error(
            `${source}:${i + 1}: a damaged "eval" line: its "${wrong[0]}" has ${wrong[1]?.length} values, but the run has ${replicas} replica${replicas === 1 ? '' : 's'}`,
          );
        record.evals.push(withCurrentFields(e));
        break;
      }
      case 'learned':
        record.learned.push(e);
        break;
      case 'end':
        record.end = e;
        break;
      default:
        throw new Error(`${source}:${i + 1}: unknown event type "${(e as { type: unknown }).type}"`);
    }
  });
  if (record.starts.length === 0) throw new Error(`${source}: no "start" line; is this a learnability run record?`);
  return record;
}

/**
 * Whether a resumed run keeps this line of its record when it continues from a checkpoint taken
 * at `step`: start lines, and eval / learned lines up to that step (the resumed session recomputes
 * the rest and writes its own end line).
 */
export function keptOnResume(e: RunEvent, step: number): boolean {
  return e.type === 'start' || ((e.type === 'eval' || e.type === 'learned') && e.step <= step);
}
