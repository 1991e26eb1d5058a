import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { runInFreshProcess } from './fresh-process.js';

const packageRoot = fileURLToPath(new URL('../..', import.meta.url));

it('returns what the script wrote, and throws with its stderr where it exits other than 0', () => {
  expect(runInFreshProcess("const n = 2; console.log('ok', n);", packageRoot).stdout).toBe('ok 2\n');
  expect(() => runInFreshProcess("console.error('it broke'); process.exit(3);", packageRoot)).toThrow(
    /^runInFreshProcess: the script's process exited with 3; its stderr ends:\nit broke\n$/,
  );
});
