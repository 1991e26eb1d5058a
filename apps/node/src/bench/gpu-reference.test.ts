import { describe, expect, it } from 'vitest';
import { runTorchGpu } from './gpu-reference.js';
import { QUICK_PLAN } from './gpu-workloads.js';

describe('runTorchGpu', () => {
  it('comes back skipped, naming the script and the Python, when the reference prints no JSON', () => {
    // echo prints its arguments, a line that is no JSON: the parse threw and ended bench gpu.
    const r = runTorchGpu(
      { ...QUICK_PLAN, only: ['matmul'] },
      {},
      { device: 'cpu', python: 'echo', timeoutMs: 10_000 },
    );
    expect(r).toEqual({
      ran: false,
      reason: expect.stringMatching(
        /torch_gpu\.py via echo printed no JSON object \(its last line: .*torch_gpu\.py --device cpu/,
      ),
    });
  });

  it('comes back skipped when the reference prints nothing', () => {
    const r = runTorchGpu(
      { ...QUICK_PLAN, only: ['matmul'] },
      {},
      { device: 'cpu', python: 'true', timeoutMs: 10_000 },
    );
    expect(r).toEqual({ ran: false, reason: expect.stringMatching(/printed no JSON object \(its last line: none\)$/) });
  });
});
