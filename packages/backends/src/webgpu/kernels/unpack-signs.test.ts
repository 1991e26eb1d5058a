/**
 * `UNPACK_SIGNS` on webgpu against a plain-JS reading of the bits, bit for bit: rows shorter than a
 * word, exactly one word, several words with a partial last one, rows padded past their words
 * (`wordsPerRow` above the minimum), words already on the device, and the 2-D dispatch grid past
 * the device's workgroups per dimension. Runs where webgpu runs (CI: Mesa lavapipe).
 */
import * as tf from '@tensorflow/tfjs-core';
import { UNPACK_SIGNS, createRng } from '@learnability/core';
import type { UnpackSignsAttrs } from '@learnability/core';
import { expect, it } from 'vitest';
import { setupBackend } from '../../setup-backend.js';
import { describeEachBackend, withNarrowDispatch } from '../../testing/index.js';
import { WEBGPU_UNPACK_SIGNS } from './unpack-signs.js';

/** Value j of row r: +1 where bit j % 32 of words[r · wordsPerRow + (j >> 5)] is set, else −1. */
function reference(words: Int32Array, rows: number, rowValues: number, wordsPerRow: number): Float32Array {
  const x = new Float32Array(rows * rowValues);
  for (let r = 0; r < rows; r++)
    for (let j = 0; j < rowValues; j++) {
      const word = (words[r * wordsPerRow + (j >> 5)] as number) >>> 0;
      x[r * rowValues + j] = (word >>> (j & 31)) & 1 ? 1 : -1;
    }
  return x;
}

const CASES: { shape: number[]; wordsPerRow: number }[] = [
  { shape: [3, 5], wordsPerRow: 1 }, // a row shorter than a word
  { shape: [2, 32], wordsPerRow: 1 }, // exactly one word
  { shape: [4, 7, 11], wordsPerRow: 3 }, // 77 values: two words and 13 bits
  { shape: [2, 40], wordsPerRow: 4 }, // padded: 2 words used of 4
  { shape: [3, 700], wordsPerRow: 22 }, // 2,100 values: 9 workgroups of 256
];

describeEachBackend('UNPACK_SIGNS', (backend) => {
  it.skipIf(backend !== 'webgpu')(
    'equals the bits read in plain JS: from host words, from words on the device, and on a narrow 2-D grid',
    async () => {
      await setupBackend('webgpu');
      for (const [c, { shape, wordsPerRow }] of CASES.entries()) {
        const rows = shape[0] as number;
        const rowValues = shape.slice(1).reduce((a, b) => a * b, 1);
        const bits = new Uint32Array(rows * wordsPerRow);
        for (let i = 0; i < bits.length; i++) bits[i] = createRng(c).fork(`word-${i}`).nextUint32();
        const words = new Int32Array(bits.buffer);
        const want = reference(words, rows, rowValues, wordsPerRow);
        const attrs: UnpackSignsAttrs = { shape, wordsPerRow };
        // The output's buffer is taken from TF.js's pool: one of NaNs is left there first, so that a
        // value the kernel does not write reads NaN, not what an earlier call of this size wrote.
        // (Read first: a buffer written in the open encoder goes back to the pool once submitted.)
        const unpack = async (w: tf.Tensor) => {
          const nan = tf.fill(shape, Number.NaN);
          await nan.data();
          nan.dispose();
          return tf.engine().runKernel(UNPACK_SIGNS, { words: w }, attrs) as tf.Tensor;
        };
        const onHost = tf.tensor1d(words, 'int32');
        const onDevice = tf.add(onHost, tf.scalar(0, 'int32')); // computed here: its words live on the GPU
        const what = `[${shape.join(', ')}], ${wordsPerRow} words per row`;
        for (const [source, w] of [
          ['host words', onHost],
          ['device words', onDevice],
        ] as const) {
          const x = await unpack(w);
          expect(x.shape).toEqual(shape);
          expect(await x.data(), `${what}, ${source}`).toEqual(want);
          x.dispose();
        }
        // One workgroup per dimension: every group past the first is on another row of the grid.
        const narrow = await withNarrowDispatch(1, [WEBGPU_UNPACK_SIGNS], async () => {
          const x = await unpack(onHost);
          const data = await x.data();
          x.dispose();
          return data;
        });
        expect(narrow, `${what}, narrow grid`).toEqual(want);
        tf.dispose([onHost, onDevice]);
      }
    },
  );

  it.skipIf(backend !== 'webgpu')(
    'gives an empty tensor for no rows, and refuses words of the wrong count or dtype in one line',
    async () => {
      await setupBackend('webgpu');
      const before = tf.memory().numTensors;
      const none = tf.tensor1d([], 'int32');
      const empty = tf
        .engine()
        .runKernel(UNPACK_SIGNS, { words: none }, { shape: [0, 5], wordsPerRow: 1 }) as tf.Tensor;
      expect(empty.shape).toEqual([0, 5]);
      const [three, floats] = [tf.tensor1d([1, 2, 3], 'int32'), tf.tensor1d([1, 2], 'float32')];
      const unpack = (words: tf.Tensor) => () =>
        tf.engine().runKernel(UNPACK_SIGNS, { words }, { shape: [2, 5], wordsPerRow: 1 });
      expect(unpack(three)).toThrow(
        'LearnabilityUnpackSigns: needs 2 int32 words (2 rows × 1) for shape [2, 5], but got 3 int32',
      );
      expect(unpack(floats)).toThrow(
        'LearnabilityUnpackSigns: needs 2 int32 words (2 rows × 1) for shape [2, 5], but got 2 float32',
      );
      tf.dispose([none, empty, three, floats]);
      expect(tf.memory().numTensors).toBe(before);
    },
  );
});
