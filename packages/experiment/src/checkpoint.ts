import * as tf from '@tensorflow/tfjs-core';
import { assert } from '@learnability/core';
import type { Params } from '@learnability/core';
import { isCount } from './record.js';

/**
 * Everything needed to continue a run exactly where it stopped. Tensors are grouped: the
 * trainer's params and slots, and the initial params (for ‖θ − θ₀‖).
 */
export interface Checkpoint {
  /** The run it was taken from (absent in older checkpoints): a resume checks it against its record's. */
  runId?: string;
  /**
   * The config the run trained under (`runExperiment`'s `config`; absent in older checkpoints):
   * a resume checks it against its record's, which may have been edited.
   */
  config?: unknown;
  step: number;
  samplesSeen: number;
  /** Each replica's data generator state (`rng.state()`). */
  dataRngs: number[][];
  /** Per replica: the step it learned at, or null. */
  learnedAtStep: (number | null)[];
  /** Per replica: the step it was found diverged (it stays frozen), or null. */
  divergedAtStep: (number | null)[];
  /** Stream learners that had learned: name → sample count. */
  learnersLearned: Record<string, number>;
  /** Each stream learner's `saveState()`, by name. */
  learnerStates: Record<string, unknown>;
  params: Params;
  slots: Record<string, tf.Tensor>;
  initialParams: Params;
  /** Wall seconds of the run up to this checkpoint, over every session (absent in older checkpoints: 0). */
  elapsedSeconds?: number;
  /**
   * The scores of the evaluation at `step`, per replica, for the summary of a run resumed with
   * no steps left (killed after its last checkpoint, before its end line). Absent in checkpoints
   * written before they were kept.
   */
  scores?: {
    /** Test accuracy (null: none for this output kind). */
    acc: (number | null)[];
    err: number[];
    /** Training loss. */
    loss: number[];
  };
}

type Group = 'params' | 'slots' | 'initialParams';
const GROUPS: readonly Group[] = ['params', 'slots', 'initialParams'];
const MAGIC = 'LRNCKPT1';

interface Header {
  magic: string;
  runId?: string;
  config?: unknown;
  step: number;
  samplesSeen: number;
  dataRngs: number[][];
  learnedAtStep: (number | null)[];
  /** Absent in checkpoints written before replicas failed alone. */
  divergedAtStep?: (number | null)[];
  learnersLearned: Record<string, number>;
  /** Absent in checkpoints written before learners saved their state. */
  learnerStates?: Record<string, unknown>;
  elapsedSeconds?: number;
  /** JSON writes NaN as null. */
  scores?: { acc: (number | null)[]; err: (number | null)[]; loss: (number | null)[] };
  tensors: { group: Group; name: string; shape: number[]; offset: number }[];
}

/**
 * Binary layout: uint32 header length (little endian) | UTF-8 JSON header | float32 data,
 * 4-byte aligned. Browser-safe (no Node APIs).
 */
export async function encodeCheckpoint(c: Checkpoint): Promise<Uint8Array> {
  // A checkpoint built by hand without one of them failed on Object.entries(undefined).
  for (const group of GROUPS)
    assert(
      typeof c[group] === 'object' && c[group] !== null,
      () =>
        `encodeCheckpoint: checkpoint.${group} must be an object of tensors ({} for none), but got ${String(c[group])}`,
    );
  const entries = GROUPS.flatMap((group) => Object.entries(c[group]).map(([name, t]) => ({ group, name, t })));
  const datas = await Promise.all(entries.map((e) => e.t.data() as Promise<Float32Array>));
  let offset = 0;
  const tensors = entries.map((e, i) => {
    const entry = { group: e.group, name: e.name, shape: e.t.shape, offset };
    offset += (datas[i] as Float32Array).length;
    return entry;
  });
  const header: Header = {
    magic: MAGIC,
    ...(c.runId === undefined ? {} : { runId: c.runId }),
    ...(c.config === undefined ? {} : { config: c.config }),
    step: c.step,
    samplesSeen: c.samplesSeen,
    dataRngs: c.dataRngs,
    learnedAtStep: c.learnedAtStep,
    divergedAtStep: c.divergedAtStep,
    learnersLearned: c.learnersLearned,
    learnerStates: c.learnerStates,
    ...(c.elapsedSeconds === undefined ? {} : { elapsedSeconds: c.elapsedSeconds }),
    ...(c.scores ? { scores: c.scores } : {}),
    tensors,
  };
  let json = new TextEncoder().encode(JSON.stringify(header));
  const pad = (4 - ((4 + json.length) % 4)) % 4;
  if (pad > 0) json = new TextEncoder().encode(JSON.stringify(header) + ' '.repeat(pad));
  const bytes = new Uint8Array(4 + json.length + offset * 4);
  new DataView(bytes.buffer).setUint32(0, json.length, true);
  bytes.set(json, 4);
  const floats = new Float32Array(bytes.buffer, 4 + json.length, offset);
  datas.forEach((d, i) => floats.set(d, (tensors[i] as { offset: number }).offset));
  return bytes;
}

/** Inverse of `encodeCheckpoint` (bytes, or the ArrayBuffer a `fetch` gives); the caller owns the returned tensors. */
export function decodeCheckpoint(input: Uint8Array | ArrayBuffer): Checkpoint {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  const fail = (why: string): never => {
    throw new Error(`checkpoint: ${why}; the file is not a learnability checkpoint or is truncated`);
  };
  if (bytes.length < 4) fail('file shorter than its header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(0, true);
  if (4 + length > bytes.length) fail('header length past the end of the file');
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + length))) as Header;
  } catch {
    return fail('header is not JSON');
  }
  if (typeof header !== 'object' || header === null || header.magic !== MAGIC) fail(`expected magic ${MAGIC}`);
  if ((bytes.length - 4 - length) % 4 !== 0) fail('its data is not a whole number of float32 values');
  const dataStart = bytes.byteOffset + 4 + length;
  const floats = new Float32Array(bytes.buffer.slice(dataStart, bytes.byteOffset + bytes.byteLength));
  // Everything is checked before any tensor is made: a truncated or malformed file leaves nothing behind.
  const sizes = checkedEntries(header, floats.length, fail);
  if (
    !Array.isArray(header.dataRngs) ||
    !header.dataRngs.every((s) => Array.isArray(s)) ||
    !Array.isArray(header.learnedAtStep)
  )
    fail('header lacks its per-replica data (dataRngs, learnedAtStep)');
  const groups: Record<Group, Params> = { params: {}, slots: {}, initialParams: {} };
  header.tensors.forEach((t, i) => {
    groups[t.group][t.name] = tf.tensor(floats.subarray(t.offset, t.offset + (sizes[i] as number)), t.shape);
  });
  return {
    ...(header.runId === undefined ? {} : { runId: header.runId }),
    ...(header.config === undefined ? {} : { config: header.config }),
    step: header.step,
    samplesSeen: header.samplesSeen,
    // JSON writes an empty normal spare (NaN) as null; `restoreRng` reads only NaN as empty.
    dataRngs: header.dataRngs.map((s) => s.map((v) => v ?? Number.NaN)),
    learnedAtStep: header.learnedAtStep,
    divergedAtStep: header.divergedAtStep ?? header.learnedAtStep.map(() => null),
    learnersLearned: header.learnersLearned,
    learnerStates: header.learnerStates ?? {},
    ...groups,
    ...(header.elapsedSeconds === undefined ? {} : { elapsedSeconds: header.elapsedSeconds }),
    ...(header.scores ? { scores: scoresFrom(header.scores) } : {}),
  };
}

/**
 * Each tensor entry's element count, once every entry is known good: a known group, a name not
 * seen before in it, a shape of integers ≥ 0, and data inside the file (`fail` throws otherwise).
 */
function checkedEntries(header: Header, floatCount: number, fail: (why: string) => never): number[] {
  if (!Array.isArray(header.tensors)) fail('header lacks its tensor list');
  const seen = new Set<string>();
  return header.tensors.map((t, i) => {
    if (typeof t !== 'object' || t === null) fail(`tensor entry ${i} is not an object`);
    const at = `tensor ${String(t.group)}.${String(t.name)}`;
    if (!GROUPS.includes(t.group)) fail(`${at}: unknown group (expected one of ${GROUPS.join(', ')})`);
    if (seen.has(`${t.group}.${t.name}`)) fail(`${at} appears twice`);
    seen.add(`${t.group}.${t.name}`);
    if (!Array.isArray(t.shape) || !t.shape.every(isCount)) fail(`${at}: shape is not a list of integers ≥ 0`);
    if (!isCount(t.offset)) fail(`${at}: offset is not an integer ≥ 0`);
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (t.offset + size > floatCount) fail(`${at} past the end of the data`);
    return size;
  });
}

const nanIfNull = (values: (number | null)[]): number[] => values.map((v) => v ?? Number.NaN);

/** The header's scores with JSON's nulls back to NaN where a score is a number. */
function scoresFrom(s: NonNullable<Header['scores']>): NonNullable<Checkpoint['scores']> {
  return { acc: s.acc, err: nanIfNull(s.err), loss: nanIfNull(s.loss) };
}
