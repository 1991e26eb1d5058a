import { createBooleanTask } from '@learnability/inal';
import { expect, it } from 'vitest';
import { estimateInalMemory } from './inal-memory.js';
import { buildModel, modelChoice } from './model-config.js';

/** The dense model the inal command builds at n for `inits` initialisations. */
const dense = (n: number, widths: number[], inits: number) =>
  buildModel(
    modelChoice('dense', [`widths=${JSON.stringify(widths)}`]),
    createBooleanTask({ target: 'parity:2', n }),
    inits,
  );

it("estimates the initialisations' parameters and one chunk of inputs, blaming --inits and --set", () => {
  // n = 64 → 1,000 → 1: 66,001 parameters per initialisation, the first weight 64,000 of them.
  const model = dense(64, [1000], 16);
  const e = estimateInalMemory(model, 16);
  const params = e.parts.find((p) => p.what === 'the parameters');
  expect(params?.bytes).toBe(16 * 66_001 * 4);
  expect(params?.factors.map((f) => f.path)).toEqual(['--inits', '--set widths']);
  // measureInal's chunk: 2²³ floats over 16 inits × (1,000 + 1) layer outputs = 523 inputs, each
  // holding 3 × 1,000 + 1 values in the forward pass.
  const chunk = e.parts.find((p) => p.what === "one chunk's activations");
  expect(chunk?.factors.map((f) => f.value)).toEqual([16, 523, 3001]);
  expect(e.totalBytes).toBe((params?.bytes ?? 0) + (chunk?.bytes ?? 0));
  // One layer's activations (16 × 523 × 1,000) outweigh the first weight (16 × 64,000).
  expect(e.largestTensor?.what).toBe("one layer's activation tensor");
  expect(e.largestTensor?.bytes).toBe(16 * 523 * 1000 * 4);
  // A small model's chunk stops at 8,192 inputs.
  expect(
    estimateInalMemory(dense(8, [4], 2), 2).parts.find((p) => p.what === "one chunk's activations")?.factors[1]?.value,
  ).toBe(8192);
  expect(estimateInalMemory(dense(4096, [1000], 16), 16).largestTensor?.bytes).toBe(16 * 4096 * 1000 * 4);
  // A row past 2²³ floats: a chunk is 16 inputs all the same.
  const wide = estimateInalMemory(dense(8, [3_000_000], 2), 2);
  expect(wide.parts.find((p) => p.what === "one chunk's activations")?.factors[1]?.value).toBe(16);
});
