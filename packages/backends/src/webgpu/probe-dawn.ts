/**
 * Node: ask Dawn for an adapter in a child process, so its native warnings stay off the user's
 * terminal.
 *
 * Why a child process: Dawn (npm `webgpu`) logs from C++ straight to file descriptor 2 —
 * `Warning: Couldn't load Vulkan: libvulkan.so.1 …` on a machine without a Vulkan loader,
 * `maxDynamic…BuffersPerPipelineLayout artificially reduced …` on lavapipe. JavaScript's
 * `process.stderr` never sees those writes, and Node has no `dup2` to point fd 2 elsewhere for the
 * duration of `create()`/`requestAdapter()` without a native addon. A child whose stderr is a pipe
 * is the one portable way to hold them: the child imports Dawn, creates it, requests the adapter
 * and prints one JSON line on stdout; its stderr goes to the debug log (`LEARNABILITY_DEBUG=1`).
 * A crash of the native driver (a signal) also stays in the child and becomes a problem with a fix.
 *
 * The parent resolves the `webgpu` specifier itself (through the module hooks of this process) and
 * hands the child a file URL, so the child loads exactly the Dawn this package would.
 */
import type { GpuAdapterSummary } from '../types.js';

/** What the probe found: an adapter, or why there is none (`stage` says where it stopped). */
export type DawnProbe =
  | { ok: true; adapter: GpuAdapterSummary }
  | { ok: false; stage: 'import' | 'create' | 'request' | 'adapter' | 'crash'; detail: string };

/** Seconds a probe may take before it counts as failed (a software Vulkan driver starts in < 5 s). */
const PROBE_TIMEOUT_S = 60;

/**
 * The child's program (ESM, run with `node --input-type=module -e`; argv: Dawn's URL, create()
 * options as JSON). It must exit by itself: a live Dawn instance keeps the event loop running.
 */
const CHILD_SCRIPT = `
const [url, options] = process.argv.slice(1);
const done = (value) => { process.stdout.write(JSON.stringify(value) + '\\n', () => process.exit(0)); };
const fail = (stage, error) => done({ ok: false, stage, detail: error instanceof Error ? error.message : String(error) });
let webgpu;
try { webgpu = await import(url); } catch (e) { fail('import', e); }
if (webgpu) {
  process.env.XDG_RUNTIME_DIR ??= (await import('node:os')).tmpdir();
  let gpu;
  try { gpu = webgpu.create(JSON.parse(options)); } catch (e) { fail('create', e); }
  if (gpu) {
    let adapter;
    try { adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' }); } catch (e) { fail('request', e); }
    if (adapter === null) done({ ok: false, stage: 'adapter', detail: 'requestAdapter() returned null' });
    else if (adapter) {
      const info = adapter.info ?? {};
      const limits = adapter.limits ?? {};
      done({ ok: true, adapter: {
        vendor: info.vendor ?? '', architecture: info.architecture ?? '', description: info.description ?? '',
        isFallbackAdapter: info.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false,
        ...(limits.maxBufferSize > 0 ? { maxBufferSize: Number(limits.maxBufferSize) } : {}),
        ...(limits.maxStorageBufferBindingSize > 0 ? { maxStorageBufferBindingSize: Number(limits.maxStorageBufferBindingSize) } : {}),
      } });
    }
  }
}
`;

/** The URL of the `webgpu` package as this module would import it, or why it cannot be found. */
async function resolveDawn(): Promise<{ url: string } | { error: string }> {
  // import.meta.resolve runs this process's module hooks; bundlers and test runners may lack it.
  const resolveHere: unknown = Reflect.get(import.meta, 'resolve');
  if (typeof resolveHere === 'function') {
    try {
      const url: unknown = resolveHere.call(import.meta, 'webgpu');
      if (typeof url === 'string') return { url };
    } catch {
      // fall through to require's resolution
    }
  }
  try {
    const { createRequire } = await import('node:module');
    const { pathToFileURL } = await import('node:url');
    return { url: pathToFileURL(createRequire(import.meta.url).resolve('webgpu')).href };
  } catch (error) {
    return { error: String(error) };
  }
}

/** Dawn's native output for the debug log: each line prefixed, nothing when the child was silent. */
function debugLog(stderr: string): void {
  if (!process.env['LEARNABILITY_DEBUG'] || stderr.trim() === '') return;
  // The debug log is stderr, asked for by the user; outside it the output is dropped.
  process.stderr.write(stderr.replace(/^(?=.)/gm, '[dawn] ').replace(/\n?$/, '\n'));
}

function isProbe(value: unknown): value is DawnProbe {
  return typeof value === 'object' && value !== null && typeof Reflect.get(value, 'ok') === 'boolean';
}

/** Starts Dawn in a child process with `options`, asks for an adapter and reports it (never throws). */
export async function probeDawn(options: readonly string[]): Promise<DawnProbe> {
  const dawn = await resolveDawn();
  if ('error' in dawn) return { ok: false, stage: 'import', detail: dawn.error };
  const { execFile } = await import('node:child_process');
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', CHILD_SCRIPT, dawn.url, JSON.stringify(options)],
      { timeout: PROBE_TIMEOUT_S * 1000, maxBuffer: 16 << 20, encoding: 'utf8', windowsHide: true },
      (error, stdout, stderr) => {
        debugLog(stderr);
        const line = stdout.trim().split('\n').pop() ?? '';
        let parsed: unknown;
        try {
          parsed = JSON.parse(line);
        } catch {
          parsed = undefined;
        }
        if (isProbe(parsed)) return resolve(parsed);
        const how = error?.killed
          ? `did not answer within ${PROBE_TIMEOUT_S} s`
          : error?.signal
            ? `was killed by ${error.signal}`
            : `exited with code ${String(error?.code ?? 0)}`;
        const said = stderr
          .trim()
          .split('\n')
          .filter((l) => l.trim() !== '')
          .pop();
        resolve({ ok: false, stage: 'crash', detail: `the Dawn probe ${how}${said ? ` (${said.trim()})` : ''}` });
      },
    );
  });
}
