import { describe, expect, it } from 'vitest';
import { runNodeScript } from '../test-support/run-node.js';

// Fresh processes: the wasm thread count is fixed once per process, and this worker's is taken.
describe('setupTestBackend', () => {
  it('starts wasm on one thread', async () => {
    const run = await runNodeScript(`
      import { setupTestBackend } from './src/testing/setup-test-backend.ts';
      process.stdout.write(JSON.stringify((await setupTestBackend('wasm')).threads));
    `);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('1');
  });

  it('reuses wasm with the threads it already runs with, instead of failing on the count', async () => {
    const run = await runNodeScript(`
      import { setupBackend } from '@learnability/backends';
      import { setupTestBackend } from './src/testing/setup-test-backend.ts';
      await setupBackend('wasm', { threads: 2 });
      process.stdout.write(JSON.stringify((await setupTestBackend('wasm')).threads));
    `);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('2');
  });
});
