import { describe, expect, it } from 'vitest';
import { applyOverrides, getPreset, validateConfig } from '@learnability/presets';
import { threadsForRun } from './threads-for-run.js';

const preset = (name: string, sets: string[]) =>
  validateConfig(applyOverrides(structuredClone(getPreset(name).config), sets));

describe('threadsForRun', () => {
  it('takes --threads as given', async () => {
    const config = preset('sparse-parity', ['backend="wasm"']);
    expect(await threadsForRun(config, 2)).toEqual({ threads: 2, note: '2 threads (--threads)' });
    // With auto, whatever this machine has: wasm's count if auto chooses wasm (a GPU machine too).
    const auto = preset('sparse-parity', ['backend="auto"']);
    expect(await threadsForRun(auto, 3)).toEqual({ threads: 3, note: '3 threads (--threads)' });
  });

  it('times nothing for a run without a network (stream learners only): 1 thread', async () => {
    const config = preset('parity-elimination', ['backend="wasm"']);
    expect(await threadsForRun(config, undefined)).toEqual({ threads: 1, note: '1 thread: no network step to time' });
  });

  it('chooses nothing off wasm', async () => {
    const config = preset('sparse-parity', ['backend="cpu"']);
    expect(await threadsForRun(config, undefined)).toEqual({ threads: undefined, note: undefined });
  });
});
