import { describe, expect, it } from 'vitest';
import { LearnabilityError } from '@learnability/core';
import { UsageError } from '../cli-error.js';
import { failureOf, markedFailure } from './redis-queue.js';

describe('a failure on a queue worker, as the sweep says it once every attempt failed', () => {
  const where = '(on worker w, --dir d)';
  /** What the sweep throws for `error` on a worker: marked there, kept by the queue as a message. */
  const said = (error: unknown) => {
    const kept = markedFailure(error, where);
    return failureOf('r1', kept instanceof Error ? kept.message : String(kept), 3);
  };

  it('keeps the kind the local pool gives it: bad input exits 2, a known refusal 1, anything else is a failure', () => {
    const bad = said(new UsageError('run r1: its record cannot be read'));
    expect(bad).toBeInstanceOf(UsageError);
    expect(bad.message).toBe(`run r1: its record cannot be read ${where}; the last of 3 attempts`);
    const refused = said(new LearnabilityError('run r1: backend "webgpu" is unavailable: no GPU adapter'));
    expect(refused).toBeInstanceOf(LearnabilityError);
    expect(refused).not.toBeInstanceOf(UsageError);
    expect(refused.message).toBe(
      `run r1: backend "webgpu" is unavailable: no GPU adapter ${where}; the last of 3 attempts`,
    );
    const bug = said(new Error('sweep run r1 failed: x is undefined'));
    expect(bug).not.toBeInstanceOf(LearnabilityError);
    expect(bug.message).toBe('sweep run r1 failed after 3 attempts: sweep run r1 failed: x is undefined');
  });
});
