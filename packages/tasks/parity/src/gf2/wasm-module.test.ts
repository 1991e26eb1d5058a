import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { gf2WasmBytes } from './wasm-module.js';

describe('GF(2) WebAssembly module', () => {
  it('has the bytes it had before its assembler moved to @learnability/wasm-asm', () => {
    // Size and SHA-256 of gf2WasmBytes() at 4835d85, the last commit with this package's own
    // assembler: the move changed no instruction. A deliberate kernel change updates both.
    const bytes = gf2WasmBytes();
    expect(bytes.length).toBe(809);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(
      'ea1fb4846a607f579c6ce947f892d06fda6e4b9e4540ff856cf0a3e40bfc0273',
    );
  });
});
