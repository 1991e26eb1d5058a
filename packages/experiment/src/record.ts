import type { EndEvent, EvalEvent, LearnedEvent, RunEvent, StartEvent } from '@learnability/core';

/** A run record read back: the JSONL lines grouped by type. `end` is absent if the run was killed. */
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

/**
 * Parses a JSONL run record. A torn last line (a run killed mid-write) is ignored; any other
 * malformed line is an error naming its line number.
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
    switch (e.type) {
      case 'start':
        record.starts.push(e);
        break;
      case 'eval':
        record.evals.push(e);
        break;
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
