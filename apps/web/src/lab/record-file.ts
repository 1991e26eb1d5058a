/**
 * Run records in the browser: the JSONL the CLI writes (lines from `eventToLine`), downloaded
 * from the events a run emitted, and loaded back with `parseRecord` to re-plot.
 */
import type { EvalEvent, RunEvent } from '@learnability/core';
import { eventToLine, keptOnResume, parseRecord } from '@learnability/experiment';
import type { RunRecord } from '@learnability/experiment';

/** The record file's text: one `eventToLine` per event, in order (what `fileSink` appends). */
export function recordText(events: readonly RunEvent[]): string {
  return events.map(eventToLine).join('');
}

/** `<runId>.jsonl`, the CLI's file name for a record. */
export function recordFileName(runId: string): string {
  return `${runId.replace(/[^\w.-]+/g, '_')}.jsonl`;
}

/** A loaded record (grouped, and its events in file order), or one line saying why the file is not one. */
export type LoadedRecord = { ok: true; record: RunRecord; events: RunEvent[] } | { ok: false; error: string };

/**
 * Parses a record file's text with `parseRecord`; never throws (an empty or malformed file gives
 * `error`). `events` keeps the file's order, so downloading it again gives the same lines, with
 * its eval lines as `record.evals` has them: an older record's with the fields runs write now,
 * which the plots and the results table read.
 */
export function loadRecordText(text: string, fileName: string): LoadedRecord {
  let record: RunRecord;
  try {
    record = parseRecord(text, fileName);
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  const events: RunEvent[] = [];
  // parseRecord keeps every eval line, in file order: the k-th eval line is record.evals[k].
  let evals = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const e = JSON.parse(line) as RunEvent;
      events.push(e.type === 'eval' ? (record.evals[evals++] as EvalEvent) : e);
    } catch {
      // parseRecord accepted the file, so this is its torn last line: ignored there too.
    }
  }
  return { ok: true, record, events };
}

/** The events a resumed run keeps (`keptOnResume`): the browser's `truncateRecordAfter`. */
export function eventsUpTo(events: readonly RunEvent[], step: number): RunEvent[] {
  return events.filter((e) => keptOnResume(e, step));
}
