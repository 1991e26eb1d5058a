import { describe, expect, it } from 'vitest';
import { applyOverrides, getPreset, validateConfig } from '@learnability/presets';
import { chooseWasmThreads, probeThreads, threadCandidates } from './choose-threads.js';

const config = validateConfig(applyOverrides(structuredClone(getPreset('sparse-parity').config), ['run.replicas=1']));

describe('threadCandidates', () => {
  it('times 1 and all cores, and half of them from 4 cores up', () => {
    expect(threadCandidates(1)).toEqual([1]);
    expect(threadCandidates(2)).toEqual([1, 2]);
    expect(threadCandidates(3)).toEqual([1, 3]);
    expect(threadCandidates(8)).toEqual([1, 4, 8]);
    // Past tfjs-wasm's pool of 8 (a 16-core GPU host): its counts, not the machine's.
    expect(threadCandidates(16)).toEqual([1, 4, 8]);
  });
});

describe('chooseWasmThreads', () => {
  it('times every candidate count in its own thread and picks the fastest', async () => {
    const choice = await chooseWasmThreads(config, 2, Promise.resolve());
    expect(choice.measured.map((m) => m.threads)).toEqual([1, 2]);
    const fastest = Math.min(...choice.measured.map((m) => m.msPerStep));
    expect(choice.measured.find((m) => m.threads === choice.threads)?.msPerStep).toBe(fastest);
    expect(choice.note).toMatch(
      /^\d threads?, the fastest of 1 → [\d.]+ ms\/step, 2 → [\d.]+ ms\/step on this run's step$/,
    );
  }, 60_000);

  it("passes a probe thread's error on", async () => {
    const timing = { budgetMs: 10, minSteps: 1, maxSteps: 1, stopAboveMs: null };
    await expect(probeThreads(config, 0, timing)).rejects.toThrow(
      /wasm threads must be an integer from 1 to 8 \(tfjs-backend-wasm's pool\), got 0/,
    );
  }, 60_000);
});
