import { listBackends } from '@learnability/backends';
import { planBackends } from '@learnability/backends/testing';
import { applyOverrides, getPreset, validateConfig } from '@learnability/presets';
import { describe, expect, it } from 'vitest';
import { chooseAutoBackend } from './choose-auto-backend.js';

const statuses = await listBackends();
const webgpu = statuses.find((b) => b.name === 'webgpu');
// Skipped without an adapter, unless the environment requires webgpu (CI), where it fails instead.
const webgpuPlan = planBackends(statuses, process.env).find((e) => e.name === 'webgpu');
const small = validateConfig(
  applyOverrides({ ...getPreset('sparse-parity').config, learners: [] }, [
    'task.n=12',
    'model.widths=[32]',
    'run.replicas=2',
  ]),
);

describe('auto backend for a run', () => {
  it('never picks a software or missing GPU, and says why', async () => {
    const software = {
      name: 'webgpu' as const,
      available: true,
      adapter: { vendor: 'mesa', architecture: '', description: 'llvmpipe', isFallbackAdapter: true },
    };
    expect(await chooseAutoBackend(small, { webgpu: software })).toEqual({
      backend: 'wasm',
      why: 'auto chose wasm: the only GPU adapter is software (llvmpipe)',
    });
    const none = { name: 'webgpu' as const, available: false, reason: 'no GPU adapter (Dawn found none)' };
    expect(await chooseAutoBackend(small, { webgpu: none })).toEqual({
      backend: 'wasm',
      why: 'auto chose wasm: no WebGPU here (no GPU adapter (Dawn found none))',
    });
  });

  it.skipIf(webgpuPlan?.action !== 'run' && webgpuPlan?.action !== 'fail')(
    'with a hardware adapter, times this run on both backends and picks the faster',
    async () => {
      if (webgpuPlan?.action === 'fail') throw new Error(`webgpu: ${webgpuPlan.reason}`);
      // This machine's adapter (software here) stands in for a hardware one, so both are timed for real.
      const asHardware = {
        ...webgpu,
        name: 'webgpu' as const,
        available: true,
        adapter: { vendor: '', architecture: '', description: '', ...webgpu?.adapter, isFallbackAdapter: false },
      };
      const choice = await chooseAutoBackend(small, { webgpu: asHardware, budgetMs: 200 });
      const match =
        /^auto chose (webgpu|wasm): ([\d.]+) ms\/step on \1 against ([\d.]+) ms\/step on (webgpu|wasm) \(this run's step, timed over \d+ and \d+ steps\)$/.exec(
          choice.why,
        );
      expect(match, choice.why).not.toBeNull();
      expect(match?.[1]).toBe(choice.backend);
      expect(Number(match?.[2])).toBeLessThanOrEqual(Number(match?.[3]));
    },
  );
});
