import { describe, expect, it } from 'vitest';
import { browserWording } from './browser-wording.js';

describe('browserWording', () => {
  it("names the lab's Backend picker where the packages name the CLI flag", () => {
    expect(
      browserWording(
        'no GPU adapter (navigator.gpu.requestAdapter() returned null); enable hardware acceleration / WebGPU in the browser, or use --backend wasm',
      ),
    ).toBe(
      'no GPU adapter (navigator.gpu.requestAdapter() returned null); enable hardware acceleration / WebGPU in the browser, or switch Backend to wasm',
    );
    expect(browserWording('this JavaScript engine has no WebAssembly; use --backend cpu')).toBe(
      'this JavaScript engine has no WebAssembly; switch Backend to cpu',
    );
    expect(browserWording('try --backend cpu')).toBe('try Backend cpu');
  });

  it('leaves other text alone', () => {
    expect(browserWording('run it with the CLI (pnpm learnability run <preset>)')).toBe(
      'run it with the CLI (pnpm learnability run <preset>)',
    );
  });
});
