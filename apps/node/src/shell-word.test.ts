import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cliName, shellWord } from './shell-word.js';

describe('shellWord', () => {
  it('leaves a plain path as it is and quotes any other so that sh reads it back whole', () => {
    expect(shellWord('runs/sparse-parity-20261207T100000-s0.jsonl')).toBe(
      'runs/sparse-parity-20261207T100000-s0.jsonl',
    );
    for (const path of ["/tmp/my run#1 ü's.jsonl", 'a;rm -rf x', '$HOME/`x`', ''])
      expect(execFileSync('sh', ['-c', `printf %s ${shellWord(path)}`]).toString()).toBe(path);
  });
});

describe('cliName', () => {
  it('is pnpm learnability under the workspace script (no learnability on PATH there), else the bin', () => {
    expect(cliName({ npm_lifecycle_event: 'learnability' })).toBe('pnpm learnability');
    expect(cliName({})).toBe('learnability');
  });
});
