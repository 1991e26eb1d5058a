import { describe, expect, it } from 'vitest';
import { storageFailure } from './storage-failure.js';

/** An error as Node's fs throws it. */
const fsError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('storageFailure', () => {
  it('says a full disk with the folder, what is kept and the --resume command', () => {
    const e = storageFailure(fsError('ENOSPC', 'ENOSPC: no space left on device, write'), '/runs/a b/r.jsonl', true);
    expect(e?.message).toMatch(
      /^ENOSPC: no space left on device, write, writing the run's files in \/runs\/a b; the record keeps the run up to its last checkpoint: make room there, then continue it with: \S.* run --resume '\/runs\/a b\/r.jsonl'$/,
    );
  });

  it('says a folder gone read-only, and starting again where no checkpoint was written yet', () => {
    const e = storageFailure(
      fsError('EROFS', "EROFS: read-only file system, open '/runs/r.jsonl'"),
      '/runs/r.jsonl',
      false,
    );
    expect(e?.message).toBe(
      "EROFS: read-only file system, open '/runs/r.jsonl', writing the run's files in /runs; it stopped before its first checkpoint: make it writable again, then start it again",
    );
  });

  it('leaves every other error as it is', () => {
    expect(storageFailure(fsError('ENOENT', 'gone'), '/r.jsonl', true)).toBeUndefined();
    expect(storageFailure(new Error('a bug'), '/r.jsonl', true)).toBeUndefined();
    expect(storageFailure('text', '/r.jsonl', true)).toBeUndefined();
  });
});
