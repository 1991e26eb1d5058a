/**
 * The fused dense SGD step (`DENSE_SGD_STEP`, kernel-contract.ts) for the wasm
 * backend: a whole training step of a dense ReLU MLP, every replica, as one TF.js kernel.
 *
 * Why: a TF.js step of the sparse-parity model is ≈ 68 kernel launches of 5–20 µs each on wasm,
 * plus XNNPACK re-packing weights that change every step, for ≈ 3 M multiply-adds of work.
 * Here the step is a few calls into a hand-assembled WebAssembly SIMD module (`@learnability/wasm-asm/gemm`)
 * that reads the input tensors in place on the tfjs-wasm heap and writes the new parameters
 * straight into the output tensors; step-plan.ts lists the calls (and the maths), split over
 * the wasm backend's thread count with worker threads in Node (step-threads.ts).
 */
import { isWasmTensorHeap, wasmByteOffset, wasmHeap } from '@learnability/core';
import type { KernelPlugin } from '@learnability/core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { DENSE_SGD_STEP, checkDenseStepInputs } from '../kernel-contract.js';
import type { DenseSgdStepAttrs } from '../kernel-contract.js';
import { lossAndDelta } from '../losses.js';
import { gemmOnMemory } from '@learnability/wasm-asm/gemm';
import type { GemmExports } from '@learnability/wasm-asm/gemm';
import { planStep, runCalls } from './step-plan.js';
import type { StepLayout } from './step-plan.js';
import type { StepThreads } from './step-threads.js';
import { ThreadChooser } from './thread-chooser.js';

interface StepModule {
  module: WebAssembly.Module;
  exports: GemmExports;
  threads: StepThreads | null;
  /** Threads the plan splits for: the wasm backend's count when workers run, else 1. */
  threadCount: number;
  chooser: ThreadChooser;
}
const modules = new WeakMap<WebAssembly.Memory, StepModule>();

/** This kernel's state on `memory`, around the gemm instance it shares with the wasm BatchMatMul (once per heap). */
async function loadStepModule(memory: WebAssembly.Memory): Promise<StepModule> {
  let m = modules.get(memory);
  if (!m) {
    const { module, exports } = await gemmOnMemory(memory);
    m = modules.get(memory) ?? { module, exports, threads: null, threadCount: 1, chooser: new ThreadChooser() };
    modules.set(memory, m);
  }
  return m;
}

/** Whether a step worker on `memory` has started (tests: that a threaded step used it). Not exported from the package. */
export function stepThreadsReady(memory: WebAssembly.Memory): boolean {
  return modules.get(memory)?.threads?.ready() ?? false;
}

const F = 4; // bytes per float32
const fail = (what: string): never => {
  throw new Error(`${DENSE_SGD_STEP}: ${what}`);
};

const denseSgdStepKernel: KernelFunc = ({ inputs, attrs, backend }) => {
  const a = attrs as DenseSgdStepAttrs;
  if (!isWasmTensorHeap(backend)) return fail('expected the tfjs wasm backend');
  const w = backend;
  const memory = wasmHeap(backend) ?? fail('the wasm backend does not expose its heap');
  const { list, shape: dims } = checkDenseStepInputs(inputs, a.layers);
  const { R, B, sizes } = dims;
  const L = a.layers;
  const widest = Math.max(...sizes);
  const m =
    modules.get(memory) ??
    fail(
      'the kernel was registered without its module (set the backend up with WASM_DENSE_SGD_STEP in the kernels option of setupBackend)',
    );

  // Outputs, then one scratch block per replica (floats): hidden activations and ŷ, δ_l per layer, δᵀ, W δᵀ; then the constant 1.
  const outputs = list.slice(2).map((t) => w.makeOutput([...t.shape], 'float32'));
  const loss = w.makeOutput([R], 'float32');
  const actAt: number[] = [];
  const deltaAt: number[] = [];
  let perReplica = 0;
  for (let l = 0; l < L; l++) actAt.push(perReplica), (perReplica += B * (sizes[l + 1] as number));
  for (let l = 0; l < L; l++) deltaAt.push(perReplica), (perReplica += B * (sizes[l + 1] as number));
  const deltaTAt = perReplica;
  const productAt = deltaTAt + B * widest;
  perReplica = productAt + B * widest;
  const scratch = w.makeOutput([R * perReplica + 1], 'float32');
  // Every allocation is done: the heap does not move now, so byte addresses and views are stable.
  const at = (t: TensorInfo) => wasmByteOffset(w, t);
  const heap = new Float32Array(memory.buffer);
  const s0 = at(scratch);
  const sp = (r: number, floats: number) => s0 + (r * perReplica + floats) * F;
  const weights = (l: number) => (sizes[l] as number) * (sizes[l + 1] as number) * F;
  const layout: StepLayout = {
    R,
    B,
    sizes,
    scales: a.scales,
    lr: a.lr,
    weightDecay: a.weightDecay,
    wIn: (l, r) => at(list[2 + 2 * l] as TensorInfo) + r * weights(l),
    bIn: (l, r) => at(list[3 + 2 * l] as TensorInfo) + r * (sizes[l + 1] as number) * F,
    wOut: (l, r) => at(outputs[2 * l] as TensorInfo) + r * weights(l),
    bOut: (l, r) => at(outputs[2 * l + 1] as TensorInfo) + r * (sizes[l + 1] as number) * F,
    act: (l, r) => (l < 0 ? at(list[0] as TensorInfo) + r * B * (sizes[0] as number) * F : sp(r, actAt[l] as number)),
    delta: (l, r) => sp(r, deltaAt[l] as number),
    deltaT: (r) => sp(r, deltaTAt),
    product: (r) => sp(r, productAt),
    one: s0 + R * perReplica * F,
  };
  heap[layout.one / F] = 1;
  // Workers or the main thread alone, whichever has been faster for this shape lately (thread-chooser.ts).
  const shape = `${R}:${B}:${sizes.join(',')}`;
  const threaded = m.threads !== null && m.chooser.choose(shape);
  const started = performance.now();
  const [forward, ...backward] = planStep(layout, threaded ? m.threadCount : 1);
  const run = (chunks: readonly (readonly number[][])[]) =>
    threaded && m.threads ? m.threads.run(m.exports, chunks) : chunks.forEach((calls) => runCalls(m.exports, calls));

  run(forward ?? []);
  const out = sizes[L] as number;
  const view = (byteAddress: number) => heap.subarray(byteAddress / F, byteAddress / F + B * out);
  for (let r = 0; r < R; r++) {
    const y = at(list[1] as TensorInfo) + r * B * out * F;
    heap[at(loss) / F + r] = lossAndDelta(a.loss, view(layout.act(L - 1, r)), view(y), view(layout.delta(L - 1, r)));
  }
  for (const phase of backward) run(phase);
  if (m.threads) m.chooser.record(shape, threaded, (performance.now() - started) * 1000);
  w.disposeData(scratch.dataId);
  return [...outputs, loss];
};

/**
 * The wasm implementation as a plug-in: `prepare` compiles the SIMD module on the backend's heap
 * and starts `threads − 1` worker threads for it (Node, threaded wasm build; in a browser the
 * step runs on the calling thread). When the backend does not expose its heap it registers
 * nothing and says so; dense models then take the generic path and report why.
 */
export const WASM_DENSE_SGD_STEP: KernelPlugin = {
  kernelName: DENSE_SGD_STEP,
  backendName: 'wasm',
  async prepare({ backend, threads, platform }) {
    const memory = wasmHeap(backend);
    if (!memory) return 'the wasm backend does not expose its heap (a tfjs-backend-wasm other than 4.22?)';
    const m = await loadStepModule(memory);
    if (!m.threads && threads > 1 && platform === 'node') {
      // Node only (worker_threads), loaded on demand.
      const { startStepThreads } = await import('./step-threads.js');
      m.threads = await startStepThreads(threads, memory, m.module);
      m.threadCount = m.threads ? threads : 1;
    }
    return denseSgdStepKernel;
  },
};
