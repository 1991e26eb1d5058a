import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackendUnavailableError, ConfigError } from '@learnability/core';
import { listBackends } from './list-backends.js';
import { setupBackend } from './setup-backend.js';
import { setupTestBackend } from './testing/setup-test-backend.js';
import { runNodeScript } from './test-support/run-node.js';
import type { BackendRequest } from './types.js';

describe('setupBackend', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('rejects an unknown name with a ConfigError listing the choices', async () => {
    const error = await setupBackend('tpu' as BackendRequest).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(String(error)).toMatch(/backend: expected one of auto, cpu, wasm, webgpu, got "tpu"/);
  });

  it('refuses an option it does not know, or kernels that are not a list, instead of ignoring them', async () => {
    // A typo would leave the fused kernels unregistered and the run on the generic path.
    await expect(setupBackend('cpu', { kernal: [] } as never)).rejects.toThrow(
      /^setupBackend: unknown option "kernal"; did you mean "kernels"\? known: threads, wasmPaths, quiet, dawnOptions, kernels$/,
    );
    await expect(setupBackend('cpu', { kernels: {} as never })).rejects.toThrow(
      'setupBackend.kernels: expected an array of kernel plug-ins (each { kernelName, backendName, prepare }), e.g. DENSE_KERNELS',
    );
  });

  it('refuses options of the wrong type, every one at once (they were taken or ignored)', async () => {
    await expect(
      setupBackend('cpu', { kernels: [5], quiet: 'no', threads: -1, dawnOptions: 'x', wasmPaths: 5 } as never),
    ).rejects.toThrow(
      `setupBackend.threads: wasm threads must be an integer from 1 to 8 (tfjs-backend-wasm's pool), got -1; setupBackend.wasmPaths: expected a URL prefix (a string), but got 5; setupBackend.quiet: expected true or false, but got "no"; setupBackend.dawnOptions: expected an array of strings such as ["backend=vulkan"], but got "x"; setupBackend.kernels: expected an array of kernel plug-ins (each { kernelName, backendName, prepare }), e.g. DENSE_KERNELS`,
    );
    await expect(setupBackend('cpu', null as never)).rejects.toThrow(
      'setupBackend: expected an options object such as { threads: 4 }, or none, but got null',
    );
  });

  it('reports the backend tfjs actually runs, and prints nothing (no Node.js banner)', async () => {
    const calls = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m));
    const info = await setupBackend('cpu');
    tf.tidy(() => tf.add(tf.ones([2]), 1).dataSync()); // the cpu backend's banner comes on first write
    expect(info).toMatchObject({ name: 'cpu', requested: 'cpu', platform: 'node' });
    expect(tf.getBackend()).toBe('cpu');
    for (const spy of calls) expect(spy).not.toHaveBeenCalled();
  });

  it('auto picks webgpu only on a real (non-fallback) adapter, else wasm', async () => {
    const webgpu = (await listBackends()).find((s) => s.name === 'webgpu');
    const info = await setupBackend('auto');
    const realGpu = webgpu?.available === true && webgpu.adapter?.isFallbackAdapter === false;
    expect(info.name).toBe(realGpu ? 'webgpu' : 'wasm');
    expect(info.requested).toBe('auto');
    expect(tf.getBackend()).toBe(info.name);
  });

  it('switches between backends and back', async () => {
    expect((await setupTestBackend('wasm')).name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect((await setupBackend('cpu')).name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('refuses to change the wasm thread count once initialised, and rejects a bad one', async () => {
    const running = (await setupBackend('wasm')).threads ?? 0;
    expect(running).toBeGreaterThanOrEqual(1);
    const first = (await setupBackend('wasm', { threads: running })).threads;
    expect(first).toBe(running);
    await expect(setupBackend('wasm', { threads: running + 1 })).rejects.toThrow(/threads are fixed once per process/);
    expect((await setupBackend('wasm')).threads).toBe(running); // unset: accepts the running count
    await expect(setupBackend('wasm', { threads: 0 })).rejects.toThrow(
      "wasm threads must be an integer from 1 to 8 (tfjs-backend-wasm's pool), got 0",
    );
    // Past the pool: refused, where tfjs would quietly run 8.
    await expect(setupBackend('wasm', { threads: 9 })).rejects.toThrow('from 1 to 8');
  });

  it('BackendUnavailableError exists for the named-backend case', () => {
    const error = new BackendUnavailableError('webgpu', 'no GPU adapter', 'use --backend wasm');
    expect(error.message).toBe('backend "webgpu" is unavailable: no GPU adapter; use --backend wasm');
  });
});

describe('setupBackend without any GPU driver (fresh process, Vulkan pointed at nothing)', () => {
  it('throws BackendUnavailableError naming the fix for webgpu, never falls back, and auto picks wasm', async () => {
    const run = await runNodeScript(
      `
      import * as tf from '@tensorflow/tfjs-core';
      import { listBackends, setupBackend } from '@learnability/backends';
      const out = {};
      out.status = (await listBackends()).find((s) => s.name === 'webgpu');
      try { await setupBackend('webgpu'); out.webgpu = 'no error'; }
      catch (e) { out.webgpu = { name: e.name, message: e.message }; }
      out.afterFailure = tf.engine().backendName ?? null;
      out.auto = (await setupBackend('auto')).name;
      process.stdout.write(JSON.stringify(out));
      `,
      { VK_ICD_FILENAMES: '/nonexistent/icd.json', VK_DRIVER_FILES: '/nonexistent/icd.json' },
    );
    // The Vulkan loader and Dawn (native code) complain on stderr about the missing driver; tfjs must not.
    expect(run.stderr).not.toMatch(/TensorFlow\.js|Initialization of backend|tfjs/i);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(out['status']).toMatchObject({ name: 'webgpu', available: false });
    expect(out['webgpu']).toEqual({
      name: 'BackendUnavailableError',
      message:
        'backend "webgpu" is unavailable: no GPU adapter (Dawn found none); install a Vulkan driver ' +
        '(Debian: mesa-vulkan-drivers from bookworm-backports) or use --backend wasm',
    });
    expect(out['afterFailure']).toBeNull();
    expect(out['auto']).toBe('wasm');
  });
});
