import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { blasWords, referencePython } from './python-reference.js';

describe('blasWords', () => {
  it('names OpenBLAS, and warns of any other BLAS under Debian’s python3-torch', () => {
    expect(blasWords('/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3')).toBe(
      'OpenBLAS (/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3)',
    );
    expect(blasWords('/usr/lib/x86_64-linux-gnu/blas/libblas.so.3')).toMatch(
      /^BLAS \/usr\/lib\/x86_64-linux-gnu\/blas\/libblas\.so\.3: not OpenBLAS, .*install Debian's libopenblas0-pthread/,
    );
    expect(blasWords(undefined)).toBe('BLAS not reported');
  });

  it('says how many threads OpenBLAS ran on, which one torch thread does not set', () => {
    expect(blasWords('/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3', 2)).toBe(
      'OpenBLAS (/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3) on 2 thread(s) (set with OPENBLAS_NUM_THREADS)',
    );
  });
});

describe('referencePython', () => {
  it('is $LEARNABILITY_PYTHON, else Debian’s or PATH’s python3; an empty variable counts as unset', () => {
    const saved = process.env.LEARNABILITY_PYTHON;
    try {
      process.env.LEARNABILITY_PYTHON = '/opt/torch/bin/python';
      expect(referencePython()).toBe('/opt/torch/bin/python');
      // `??` kept '' here, and spawning '' threw past the reference's "skipped" reasons.
      process.env.LEARNABILITY_PYTHON = '';
      expect(referencePython()).toBe(existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
    } finally {
      if (saved === undefined) delete process.env.LEARNABILITY_PYTHON;
      else process.env.LEARNABILITY_PYTHON = saved;
    }
  });
});
