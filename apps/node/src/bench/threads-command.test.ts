import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Io } from '../io.js';
import { benchThreadsCommand } from './threads-command.js';

const io: Io = { out: () => {}, err: () => {}, status: () => {}, interactive: false };

describe('bench threads refuses a backend it would replace with wasm', () => {
  it('in --set, and in the config file itself', async () => {
    await expect(benchThreadsCommand(['sparse-parity', '--set', 'backend="cpu"'], io)).rejects.toThrow(
      `bench threads: times wasm's thread counts, so --set backend="cpu" does not apply; drop it`,
    );
    const file = join(mkdtempSync(join(tmpdir(), 'learnability-bench-threads-')), 'on-gpu.json');
    writeFileSync(file, JSON.stringify({ extends: 'sparse-parity', backend: 'webgpu' }));
    await expect(benchThreadsCommand([file], io)).rejects.toThrow(
      `bench threads: times wasm's thread counts, but on-gpu asks for backend "webgpu"; set its "backend" to "wasm" or leave it out`,
    );
  });
});
