import { describe, expect, it } from 'vitest';
import { checkInt, checkKnownKeys, checkNumber, checkOneOf, throwIfIssues } from './config-checks.js';
import { ConfigError } from './errors.js';

describe('config checks', () => {
  it('accept values in range and report the rest with the expected range', () => {
    expect(checkInt('task.n', 5, 1, 10)).toEqual([]);
    expect(checkInt('task.n', 5.5, 1)).toEqual([
      { path: 'task.n', message: `must be an integer in [1, ${Number.MAX_SAFE_INTEGER}], but got 5.5` },
    ]);
    expect(checkInt('task.n', 11, 1, 10)[0]?.message).toBe('must be an integer in [1, 10], but got 11');
    expect(checkNumber('task.noise', 0.5, 0, 0.5)).toEqual([]);
    expect(checkNumber('task.noise', '0.1', 0, 0.5)[0]?.message).toBe('must be a number in [0, 0.5], but got 0.1');
    expect(checkOneOf('learner.kernel', 'wasm', ['js', 'wasm'])).toEqual([]);
    expect(checkOneOf('learner.kernel', 'gpu', ['js', 'wasm'])[0]?.message).toBe(
      'must be one of "js", "wasm", but got "gpu"',
    );
  });

  it('flag misspelt keys and throw every issue at once', () => {
    const issues = [...checkKnownKeys('task', { n: 1, kk: 2, x: 3 }, ['n', 'k']), ...checkInt('task.n', -1, 1)];
    expect(issues.map((i) => i.path)).toEqual(['task.kk', 'task.x', 'task.n']);
    expect(() => throwIfIssues(issues)).toThrow(ConfigError);
    expect(() => throwIfIssues([])).not.toThrow();
  });
});
