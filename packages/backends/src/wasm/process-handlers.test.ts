import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** Runs an ES module program in a fresh Node (the wasm module starts once per process) from this package. */
function program(code: string) {
  const r = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: import.meta.dirname,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const SETUP = "import { setupBackend } from '@learnability/backends'; await setupBackend('wasm');";

describe("after setupBackend('wasm') in Node, Emscripten's process handlers are gone", () => {
  it('an error the program leaves uncaught is printed as itself, not below the minified glue, and exits 1, not 7', () => {
    const r = program(`${SETUP} Promise.reject(new Error('boom'));`);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Error: boom');
    expect(r.stderr).not.toContain('GROWABLE_HEAP');
    expect(r.stderr.length).toBeLessThan(2_000);
  });

  it("the program's own unhandledRejection handler keeps the process alive", () => {
    const r = program(
      `${SETUP} process.on('unhandledRejection', (e) => console.log('handled', e.message));
       Promise.reject(new Error('boom')); setTimeout(() => console.log('alive'), 20);`,
    );
    expect(r.stdout, r.stderr).toBe('handled boom\nalive\n');
    expect(r.code).toBe(0);
  });
});
