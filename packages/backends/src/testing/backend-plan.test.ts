import { describe, expect, it } from 'vitest';
import type { BackendStatus } from '../types.js';
import { planBackends } from './backend-plan.js';

const noGpu: BackendStatus[] = [
  { name: 'cpu', available: true },
  { name: 'wasm', available: true },
  { name: 'webgpu', available: false, reason: 'no GPU adapter; use --backend wasm' },
];

describe('planBackends', () => {
  it('runs the available backends and skips the rest with their reason', () => {
    expect(planBackends(noGpu, {})).toEqual([
      { name: 'cpu', action: 'run' },
      { name: 'wasm', action: 'run' },
      { name: 'webgpu', action: 'skip', reason: 'no GPU adapter; use --backend wasm' },
    ]);
  });

  it('fails a missing webgpu when LEARNABILITY_REQUIRE_WEBGPU=1', () => {
    expect(planBackends(noGpu, { LEARNABILITY_REQUIRE_WEBGPU: '1' })[2]).toEqual({
      name: 'webgpu',
      action: 'fail',
      reason: 'no GPU adapter; use --backend wasm (LEARNABILITY_REQUIRE_WEBGPU=1)',
    });
  });

  it('restricts to LEARNABILITY_TEST_BACKENDS, failing a listed backend that is missing', () => {
    expect(planBackends(noGpu, { LEARNABILITY_TEST_BACKENDS: 'wasm, cpu' })).toEqual([
      { name: 'cpu', action: 'run' },
      { name: 'wasm', action: 'run' },
    ]);
    expect(planBackends(noGpu, { LEARNABILITY_TEST_BACKENDS: 'webgpu' })[0]).toMatchObject({
      name: 'webgpu',
      action: 'fail',
    });
  });

  it('rejects unknown names in LEARNABILITY_TEST_BACKENDS', () => {
    expect(() => planBackends(noGpu, { LEARNABILITY_TEST_BACKENDS: 'cpu,tpu' })).toThrow(
      'LEARNABILITY_TEST_BACKENDS: expected names from cpu, wasm, webgpu, got tpu',
    );
  });
});
