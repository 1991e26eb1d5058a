import { readFileSync, statSync } from 'node:fs';
import { parseRecord } from '@learnability/experiment';
import type { RunRecord } from '@learnability/experiment';
import { UsageError } from './cli-error.js';

const EVENT_TYPES = ['start', 'eval', 'learned', 'end'];

/**
 * Reads a run record a user named (`plot x.jsonl`, `run --resume x.jsonl`). A missing or unreadable
 * file, or one that is not a run record, is a UsageError naming the file and `flag`.
 */
export function readRunRecord(command: string, flag: string, path: string): RunRecord {
  const what = `${command}: ${flag} "${path}"`;
  let text: string;
  try {
    if (statSync(path).isDirectory()) throw new UsageError(`${what} is a directory, not a run record (.jsonl)`);
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = typeof e === 'object' && e !== null && 'code' in e ? (e as { code: unknown }).code : undefined;
    if (code === 'ENOENT') throw new UsageError(`${what} does not exist; pass the .jsonl path a run printed ("record: …")`);
    throw new UsageError(`${what} cannot be read (${code === 'EACCES' ? 'permission denied' : e instanceof Error ? e.message : String(e)})`);
  }
  // Every line a JSON object with a known "type", the first a start: else it is some other file.
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  for (const [i, line] of lines.entries()) {
    let type: unknown;
    try {
      const parsed: unknown = JSON.parse(line);
      type = typeof parsed === 'object' && parsed !== null && 'type' in parsed ? (parsed as { type: unknown }).type : undefined;
    } catch {
      throw new UsageError(`${what} is not a learnability run record (line ${i + 1} is not JSON)`);
    }
    if (typeof type !== 'string' || !EVENT_TYPES.includes(type) || (i === 0 && type !== 'start')) {
      throw new UsageError(`${what} is not a learnability run record (line ${i + 1} is not a ${i === 0 ? '"start"' : 'run'} event)`);
    }
  }
  if (lines.length === 0) throw new UsageError(`${what} is empty, not a learnability run record`);
  try {
    return parseRecord(text, path);
  } catch (e) {
    throw new UsageError(`${what} is not a learnability run record (${e instanceof Error ? e.message : String(e)})`);
  }
}
