import * as tf from '@tensorflow/tfjs-core';
import { setupBackend } from '@learnability/backends';
import { createRng, restoreRng } from '@learnability/core';
import { describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint.js';

/** A checkpoint of `params` (also its initial parameters), at step 1, with no replicas' data. */
const withParams = (params: Record<string, tf.Tensor>) =>
  encodeCheckpoint({
    step: 1,
    samplesSeen: 1,
    dataRngs: [],
    learnedAtStep: [],
    divergedAtStep: [],
    learnersLearned: {},
    learnerStates: {},
    params,
    slots: {},
    initialParams: params,
  });

describe('checkpoint', () => {
  it('data generators continue their normal draws exactly after encode → decode, with and without a spare normal', async () => {
    // normal() makes two values per pair of draws: after 3 calls one is spare, after 4 none.
    for (const calls of [3, 4]) {
      const rng = createRng(7);
      for (let i = 0; i < calls; i++) rng.normal();
      const bytes = await encodeCheckpoint({
        step: 1,
        samplesSeen: 1,
        dataRngs: [rng.state()],
        learnedAtStep: [null],
        divergedAtStep: [null],
        learnersLearned: {},
        learnerStates: {},
        params: {},
        slots: {},
        initialParams: {},
      });
      const restored = restoreRng(decodeCheckpoint(bytes).dataRngs[0] as number[]);
      const expected = Array.from({ length: 5 }, () => rng.normal());
      expect(
        Array.from({ length: 5 }, () => restored.normal()),
        `after ${calls} normal() calls`,
      ).toEqual(expected);
    }
  });

  it('keeps the run id and the config the run trained under, and reads a checkpoint without them', async () => {
    const base = {
      step: 2,
      samplesSeen: 8,
      dataRngs: [],
      learnedAtStep: [],
      divergedAtStep: [],
      learnersLearned: {},
      learnerStates: {},
      params: {},
      slots: {},
      initialParams: {},
    };
    const config = { trainer: { name: 'sgd', lr: 0.1 }, run: { steps: 40, seed: 3 }, backend: 'cpu' };
    const kept = decodeCheckpoint(await encodeCheckpoint({ ...base, runId: 'r', config }));
    expect([kept.runId, kept.config]).toEqual(['r', config]);
    const older = decodeCheckpoint(await encodeCheckpoint(base));
    expect(['runId' in older, 'config' in older]).toEqual([false, false]);
    // Built by hand without slots: a TypeError from Object.entries(undefined).
    const { slots: _, ...noSlots } = base;
    await expect(encodeCheckpoint(noSlots as typeof base)).rejects.toThrow(
      'encodeCheckpoint: checkpoint.slots must be an object of tensors ({} for none), but got undefined',
    );
  });

  it('refuses a truncated file in one line, before it makes any tensor', async () => {
    await setupBackend('cpu');
    const params = { w: tf.ones([3, 4]), b: tf.zeros([4]) };
    const bytes = await withParams(params);
    const before = tf.memory().numTensors;
    expect(() => decodeCheckpoint(bytes.subarray(0, bytes.length - 8))).toThrow(
      /^checkpoint: tensor initialParams.b past the end of the data; the file is not a learnability checkpoint or is truncated$/,
    );
    expect(tf.memory().numTensors).toBe(before);
    // One byte short: not a whole number of floats, said as such (not a raw typed-array error).
    expect(() => decodeCheckpoint(bytes.subarray(0, bytes.length - 1))).toThrow(
      /^checkpoint: its data is not a whole number of float32 values; the file is not a learnability checkpoint or is truncated$/,
    );
    // The ArrayBuffer a fetch gives decodes as the bytes do.
    const copy = bytes.slice();
    const decoded = decodeCheckpoint(copy.buffer);
    expect(Array.from(await (decoded.params.w as tf.Tensor).data())).toEqual(new Array(12).fill(1));
    tf.dispose([Object.values(decoded.params), Object.values(decoded.initialParams)]);
    tf.dispose(Object.values(params));
  });

  it('refuses a malformed header in one line, before it makes any tensor', async () => {
    await setupBackend('cpu');
    const params = { w: tf.ones([3, 4]), b: tf.zeros([4]) };
    const bytes = await withParams(params);
    tf.dispose(Object.values(params));
    type Entry = { group: string; name: string; shape: unknown; offset: number };
    // The same data behind an edited header, padded as encodeCheckpoint pads it.
    const withHeader = (edit: (h: { tensors: Entry[] } & Record<string, unknown>) => void): Uint8Array => {
      const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
      const header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + length)));
      edit(header);
      let text = JSON.stringify(header);
      text += ' '.repeat((4 - ((4 + new TextEncoder().encode(text).length) % 4)) % 4);
      const json = new TextEncoder().encode(text);
      const out = new Uint8Array(4 + json.length + bytes.length - 4 - length);
      new DataView(out.buffer).setUint32(0, json.length, true);
      out.set(json, 4);
      out.set(bytes.subarray(4 + length), 4 + json.length);
      return out;
    };
    const last = (h: { tensors: Entry[] }) => h.tensors[h.tensors.length - 1] as Entry;
    const cases: [string, (h: { tensors: Entry[] } & Record<string, unknown>) => void, string][] = [
      [
        'unknown group',
        (h) => void (last(h).group = 'extra'),
        'tensor extra.b: unknown group (expected one of params, slots, initialParams)',
      ],
      [
        'negative dimension',
        (h) => void (last(h).shape = [4, -1]),
        'tensor initialParams.b: shape is not a list of integers ≥ 0',
      ],
      [
        'fractional dimension',
        (h) => void (last(h).shape = [1.5, 2]),
        'tensor initialParams.b: shape is not a list of integers ≥ 0',
      ],
      ['an entry twice', (h) => void (last(h).name = 'w'), 'tensor initialParams.w appears twice'],
      [
        'no per-replica data',
        (h) => void delete h.dataRngs,
        'header lacks its per-replica data (dataRngs, learnedAtStep)',
      ],
      // These gave TypeErrors from inside the decoder.
      [
        'a generator state that is no list',
        (h) => void (h.dataRngs = [5]),
        'header lacks its per-replica data (dataRngs, learnedAtStep)',
      ],
      [
        'a tensor entry that is no object',
        (h) => void (h.tensors[0] = null as never),
        'tensor entry 0 is not an object',
      ],
    ];
    // The edits themselves keep a decodable file: only what each one changes is refused.
    const intact = decodeCheckpoint(withHeader(() => {}));
    tf.dispose([Object.values(intact.params), Object.values(intact.initialParams)]);
    const before = tf.memory().numTensors;
    for (const [what, edit, message] of cases) {
      expect(() => decodeCheckpoint(withHeader(edit)), what).toThrow(
        `checkpoint: ${message}; the file is not a learnability checkpoint or is truncated`,
      );
      expect(tf.memory().numTensors, what).toBe(before);
    }
    // A header of JSON null: a TypeError reading its magic.
    const nullHeader = new Uint8Array(8);
    new DataView(nullHeader.buffer).setUint32(0, 4, true);
    nullHeader.set(new TextEncoder().encode('null'), 4);
    expect(() => decodeCheckpoint(nullHeader)).toThrow(/^checkpoint: expected magic /);
  });
});
