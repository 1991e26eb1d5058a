import { parseRecord } from '@learnability/experiment';
import type { RunRecord } from '@learnability/experiment';
import { UsageError } from './cli-error.js';
import { readUserFile } from './user-file.js';

const EVENT_TYPES = ['start', 'eval', 'learned', 'end'];

const notRecord = (what: string) => `${what} is not a learnability run record`;
/** A record that starts as one, with a line that does not read (a hand edit, a bad copy, a disk error). */
const damaged = (what: string) => `${what} is a damaged run record`;

/**
 * Reads a run record a user named (`plot x.jsonl`, `run --resume x.jsonl`). A missing or unreadable
 * file, one that is not a run record (its first line is no "start" event), or a run record with a
 * damaged line after it, is a UsageError naming the file, `flag` and which of these it is.
 */
export function readRunRecord(command: string, flag: string, path: string): RunRecord {
  const what = `${command}: ${flag} "${path}"`;
  const text = readUserFile(what, path, { missing: 'pass the .jsonl path a run printed ("record: …")' });
  // Every line a JSON object with a known "type", the first a start: else it is some other file.
  // A torn last line (a run killed mid-write) is left to parseRecord, which ignores it.
  const raw = text.split('\n');
  let first = true;
  for (const [i, line] of raw.entries()) {
    if (line.trim() === '') continue;
    let type: unknown;
    try {
      const parsed: unknown = JSON.parse(line);
      type =
        typeof parsed === 'object' && parsed !== null && 'type' in parsed
          ? (parsed as { type: unknown }).type
          : undefined;
    } catch {
      if (i === raw.length - 1 && !first) continue;
      throw new UsageError(`${first ? notRecord(what) : damaged(what)} (line ${i + 1} is not JSON)`);
    }
    if (first && type !== 'start') throw new UsageError(`${notRecord(what)} (line ${i + 1} is not a "start" event)`);
    if (typeof type !== 'string' || !EVENT_TYPES.includes(type))
      throw new UsageError(`${damaged(what)} (line ${i + 1} is not a run event)`);
    first = false;
  }
  if (first) throw new UsageError(`${what} is empty, not a learnability run record`);
  try {
    return parseRecord(text, path);
  } catch (e) {
    throw new UsageError(`${damaged(what)} (${e instanceof Error ? e.message : String(e)})`);
  }
}
