/**
 * Extra threads for the fused dense step, in Node: worker_threads that instantiate the same SIMD
 * module on the tfjs-wasm heap (a shared WebAssembly.Memory in the threaded build) and help run
 * each phase's chunks (step-plan.ts).
 *
 * Protocol, on Int32Arrays over SharedArrayBuffers: the main thread writes a phase's calls (17
 * float64 slots a call) and its chunk table, resets NEXT and bumps SEQ. Every thread, the main
 * one included, then claims chunks with Atomics.add(NEXT) until none is left, and counts the ones
 * it ran in FINISHED; the main thread returns when FINISHED reaches the chunk count. So a worker
 * the OS has descheduled (2 shared cores) holds the step back by one chunk at most, never by
 * its whole share, and until a worker is READY the main thread simply runs every chunk itself.
 * Workers spin on SEQ for a while (phases are microseconds apart; waking a sleeping thread costs
 * tens of µs), then sleep on it with Atomics.wait.
 */
import { runCalls } from './step-plan.js';
import type { GemmExports } from '@learnability/wasm-asm/gemm';
import type { Call } from './step-plan.js';

const SLOTS = 17;
const MAX_CALLS = 1 << 13; // per phase; a larger phase runs on the main thread alone
const MAX_CHUNKS = 1 << 10;
const CLOSED = 1 << 30; // NEXT between phases: any late claim finds nothing
const [SEQ, NEXT, FINISHED, CHUNKS, READY, FAILED, HEADER] = [0, 1, 2, 3, 4, 5, 8];

/**
 * The worker's program (no imports but worker_threads): the mirror of `run` below. Node evaluates
 * it as CommonJS, or as an ES module when the parent runs with --input-type=module (inherited by
 * eval workers), where `require` is undefined: there it reads worker_threads through
 * process.getBuiltinModule (Node ≥ 20.16; a worker that has neither fails, and the step runs on
 * one thread).
 */
const WORKER_SOURCE = `
const { workerData } = (typeof require === 'function' ? require : process.getBuiltinModule)('node:worker_threads');
const { memory, module, control, args } = workerData;
const { gemm, transpose } = new WebAssembly.Instance(module, { env: { memory } }).exports;
const c = new Int32Array(control);
const a = new Float64Array(args);
Atomics.store(c, ${READY}, 1);
let seen = 0;
for (;;) {
  for (let spins = 0; Atomics.load(c, ${SEQ}) === seen; ) {
    if (++spins > 40000) { Atomics.wait(c, ${SEQ}, seen, 1000); spins = 0; }
  }
  seen = Atomics.load(c, ${SEQ});
  for (let k = Atomics.add(c, ${NEXT}, 1); k < Atomics.load(c, ${CHUNKS}); k = Atomics.add(c, ${NEXT}, 1)) {
    try {
      for (let i = c[${HEADER} + k], end = c[${HEADER} + k + 1]; i < end; i++) {
        const p = i * ${SLOTS};
        if (a[p] === 0) gemm(a[p + 1], a[p + 2], a[p + 3], a[p + 4], a[p + 5], a[p + 6], a[p + 7], a[p + 8], a[p + 9], a[p + 10], a[p + 11], a[p + 12], a[p + 13], a[p + 14], a[p + 15], a[p + 16]);
        else transpose(a[p + 1], a[p + 2], a[p + 3], a[p + 4], a[p + 5], a[p + 6], a[p + 7]);
      }
    } catch {
      Atomics.store(c, ${FAILED}, 1);
    }
    Atomics.add(c, ${FINISHED}, 1);
    Atomics.notify(c, ${FINISHED});
  }
}
`;

export interface StepThreads {
  /** Whether a worker has started (before that, `run` uses the main thread alone). */
  ready(): boolean;
  /** Runs one phase's chunks on this thread and the workers; returns when every chunk is done. */
  run(m: GemmExports, chunks: readonly (readonly Call[])[]): void;
}

/**
 * `count − 1` workers sharing `memory` (shared) and the compiled module; null where
 * worker_threads or shared memory are unavailable (then the step runs on one thread).
 */
export async function startStepThreads(
  count: number,
  memory: WebAssembly.Memory,
  module: WebAssembly.Module,
): Promise<StepThreads | null> {
  if (count < 2 || typeof SharedArrayBuffer === 'undefined' || !(memory.buffer instanceof SharedArrayBuffer))
    return null;
  let threads: typeof import('node:worker_threads');
  try {
    threads = await import('node:worker_threads');
  } catch {
    return null;
  }
  const c = new Int32Array(new SharedArrayBuffer((HEADER + MAX_CHUNKS + 1) * 4));
  const a = new Float64Array(new SharedArrayBuffer(MAX_CALLS * SLOTS * 8));
  c[NEXT] = CLOSED;
  try {
    for (let i = 0; i < count - 1; i++) {
      const w = new threads.Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { memory, module, control: c.buffer, args: a.buffer },
      });
      w.unref(); // idle workers must not keep the process alive
      w.on('error', () => {}); // a worker that cannot start is never READY: the main thread runs every chunk
    }
  } catch {
    return null; // no workers here: one thread
  }
  let seq = 0;
  return {
    ready: () => Atomics.load(c, READY) === 1,
    run(m, chunks) {
      const calls = chunks.reduce((n, k) => n + k.length, 0);
      if (Atomics.load(c, READY) === 0 || chunks.length < 2 || chunks.length > MAX_CHUNKS || calls > MAX_CALLS) {
        for (const k of chunks) runCalls(m, k);
        return;
      }
      let i = 0;
      chunks.forEach((k, j) => {
        c[HEADER + j] = i;
        for (const call of k) a.set(call, SLOTS * i++);
      });
      c[HEADER + chunks.length] = i;
      Atomics.store(c, CHUNKS, chunks.length);
      Atomics.store(c, FINISHED, 0);
      Atomics.store(c, NEXT, 0);
      Atomics.store(c, SEQ, ++seq);
      Atomics.notify(c, SEQ);
      for (let k = Atomics.add(c, NEXT, 1); k < chunks.length; k = Atomics.add(c, NEXT, 1)) {
        runCalls(m, chunks[k] as readonly Call[]);
        Atomics.add(c, FINISHED, 1);
      }
      for (let spins = 0, done = Atomics.load(c, FINISHED); done < chunks.length; done = Atomics.load(c, FINISHED)) {
        if (++spins > 4000) Atomics.wait(c, FINISHED, done, 1);
      }
      Atomics.store(c, NEXT, CLOSED);
      if (Atomics.load(c, FAILED) === 1) throw new Error('DenseSgdStep: a worker thread failed a call');
    },
  };
}
