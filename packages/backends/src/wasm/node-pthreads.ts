/**
 * Real wasm multithreading in Node, patched at run time (node_modules stays untouched).
 *
 * tfjs-backend-wasm 4.x keeps threads off in Node (tfjs issue #3830), and turning its flag
 * `WASM_HAS_MULTITHREAD_SUPPORT` on is not enough, for three reasons this module deals with:
 *
 * 1. Emscripten starts each pthread with `new Worker(url)`, where tfjs hands it a `blob:` URL of
 *    the worker script; Node's worker_threads rejects `blob:` URLs. While the backend initialises,
 *    `require('node:worker_threads').Worker` (which Emscripten reads) is swapped for a subclass
 *    that runs the same script with `eval: true` (and no inherited Node flags).
 *    The worker then gets the main script as a Blob it cannot `importScripts`; the subclass's
 *    script hands it the package's own wasm-out/tfjs-backend-wasm-threaded-simd.js instead.
 * 2. Emscripten `ref()`s a worker while its pthread runs. XNNPACK's pool threads run forever, so
 *    Node would never exit. The subclass `unref()`s them and ignores `ref()`: the main thread
 *    blocks in every kernel until the pool is done, so an idle pool never holds work.
 * 3. tfjs caps threads at `emscripten_num_logical_cores() / 2` (= `os.cpus().length / 2` in Node,
 *    read once when the module starts): 1 thread on a 2-core machine. While the backend
 *    initialises, `os.cpus()` reports at least 2 × threads entries.
 *
 * Both swaps are undone as soon as `tf.setBackend('wasm')` resolves.
 */
import type * as NodeOs from 'node:os';
import type * as NodeWorkerThreads from 'node:worker_threads';

/** CommonJS `require`: gives the mutable builtin exports Emscripten reads. */
type RequireCjs = NodeJS.Require;

const WASM_OUT = '@tensorflow/tfjs-backend-wasm/wasm-out';

/** The pthread worker script tfjs would put in a Blob, made loadable from Node. */
function pthreadWorkerSource(requireCjs: RequireCjs): string {
  const workerModule: unknown = requireCjs(`${WASM_OUT}/tfjs-backend-wasm-threaded-simd.worker.js`);
  const contents =
    typeof workerModule === 'object' && workerModule !== null
      ? Reflect.get(workerModule, 'wasmWorkerContents')
      : undefined;
  if (typeof contents !== 'string') {
    throw new Error(
      `wasm threads: ${WASM_OUT}/tfjs-backend-wasm-threaded-simd.worker.js exports no wasmWorkerContents string`,
    );
  }
  const mainScript = requireCjs.resolve(`${WASM_OUT}/tfjs-backend-wasm-threaded-simd.js`);
  // Same escaping tfjs applies before making its Blob (tfjs-backend-wasm/src/backend_wasm.ts).
  const script = contents.replace(/\n/g, '\\n');
  // The 'load' message carries the main script as a Blob (string when it is a path): give a path.
  const loadMainScriptFromFile =
    `;(function(){var handle=self.onmessage;self.onmessage=function(e){` +
    `if(e.data&&e.data.cmd==="load"&&typeof e.data.urlOrBlob!=="string"){e.data.urlOrBlob=${JSON.stringify(mainScript)}}` +
    `return handle(e)}})();`;
  return script + loadMainScriptFromFile;
}

/** `cpus` padded (by repetition) to at least `count` entries. */
function paddedCpus(cpus: NodeOs.CpuInfo[], count: number): NodeOs.CpuInfo[] {
  const fallback: NodeOs.CpuInfo = { model: 'unknown', speed: 0, times: { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 } };
  const padded = cpus.slice();
  while (padded.length < count) padded.push(cpus[padded.length % Math.max(cpus.length, 1)] ?? fallback);
  return padded;
}

/**
 * Runs `init` (which must call `tf.setBackend('wasm')` with tfjs's multithread flag on) with the
 * three patches above in place, and removes them afterwards.
 */
export async function withNodePthreads<T>(threads: number, init: () => Promise<T>): Promise<T> {
  // Imported here, not at the top, so browser bundles never see a static node: import.
  const requireCjs = (await import('node:module')).createRequire(import.meta.url);
  const workerThreads: typeof NodeWorkerThreads = requireCjs('node:worker_threads');
  const os: typeof NodeOs = requireCjs('node:os');
  const source = pthreadWorkerSource(requireCjs);
  const OriginalWorker = workerThreads.Worker;
  const originalCpus = os.cpus;

  class TfjsPthreadWorker extends OriginalWorker {
    readonly #pthread: boolean;
    constructor(filename: string | URL, options?: NodeWorkerThreads.WorkerOptions) {
      const isTfjsBlob = typeof filename === 'string' && filename.startsWith('blob:');
      // execArgv []: the script is CommonJS and needs none of the parent's flags (an inherited
      // --input-type=module would run it as ESM; an inherited --import tsx would load tsx 8 times).
      super(isTfjsBlob ? source : filename, isTfjsBlob ? { ...options, eval: true, execArgv: [] } : options);
      this.#pthread = isTfjsBlob;
      if (isTfjsBlob) {
        URL.revokeObjectURL(filename);
        this.unref();
      }
    }
    override ref(): void {
      if (!this.#pthread) super.ref();
    }
  }

  const cpus = (): NodeOs.CpuInfo[] => paddedCpus(originalCpus.call(os), 2 * threads);
  if (!Reflect.set(workerThreads, 'Worker', TfjsPthreadWorker) || !Reflect.set(os, 'cpus', cpus)) {
    Reflect.set(workerThreads, 'Worker', OriginalWorker);
    throw new Error('wasm threads: cannot patch node:worker_threads.Worker or node:os.cpus');
  }
  try {
    return await init();
  } finally {
    Reflect.set(workerThreads, 'Worker', OriginalWorker);
    Reflect.set(os, 'cpus', originalCpus);
  }
}
