import { describe, expect, it } from 'vitest';
import { blasWords } from './python-reference.js';

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
