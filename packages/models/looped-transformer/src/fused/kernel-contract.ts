/**
 * The looped transformer's fused training-step kernel: its name and attributes (the contract every
 * backend's implementation follows, as tfjs keeps kernel_names.ts apart from its backends).
 *
 * One whole training step of Yang et al. 2023's truncated loop loss (docs/papers.md §5) as a single
 * kernel: read-in, `loops` iterations of the GPT-2 blocks with input injection and LN_f, the
 * read-out and the loss of the last `lossLoops` iterations, the backward pass through those
 * iterations only, and the trainer's update rule (`update`, e.g. `@learnability/sgd`'s `wgslAdam`)
 * over every element of θ — this package holds no optimiser. With Adam, the same numbers as
 * `@learnability/looped-adam`'s generic TF.js step, to float tolerance.
 *
 * Inputs: x (R, B, T, d) and y (R, B, P) — whole prompts; the step trains on their first
 * `tokens` tokens (the points curriculum's prefix) — then, for every parameter in
 * `loopedParamNames(layers)` order, θ and its update slots (`${name}.${slot}`, each the
 * parameter's shape). Outputs: θ and its slots of every parameter in that order, then the (R,) loss.
 */
import type { Readout } from '../config.js';

export const LOOPED_STEP = 'LearnabilityLoopedStep';

/**
 * The optimiser, as the trainer supplies it: WGSL statements run on every element of θ once its
 * gradient is summed. They read `g` (the gradient element) and `sc[k]` (`scalars`), and update
 * `theta: f32` and `s: array<f32, slots.length>` in place, where s[k] is the element of the state
 * input `${param}.${slots[k]}`. A type, not an interface, so it is a TF.js `NamedAttrMap`.
 */
export type LoopedUpdateRule = { slots: string[]; wgsl: string; scalars: number[] };

/** A type, not an interface, so it is a TF.js `NamedAttrMap` as it stands. */
export type LoopedStepAttrs = {
  /** Blocks per loop iteration L. */
  layers: number;
  heads: number;
  readout: Readout;
  layerNormEpsilon: number;
  /** Loop iterations b this step runs. */
  loops: number;
  /** The last T ≤ b iterations carry gradient; the loss averages their predictions. */
  lossLoops: number;
  /** Prompt tokens T' ≤ T the step trains on (even for the interleaved readout). */
  tokens: number;
  /** The trainer's update of θ from its summed gradient. */
  update: LoopedUpdateRule;
};

/** Every parameter name of an L-block model, in the order of `paramSpecs` (params.ts). */
export function loopedParamNames(layers: number): string[] {
  const block = ['ln1.g', 'ln1.b', 'qkv.w', 'qkv.b', 'proj.w', 'proj.b', 'ln2.g', 'ln2.b', 'fc.w', 'fc.b', 'out.w'];
  return [
    'readIn.w',
    'readIn.b',
    'pos',
    ...Array.from({ length: layers }, (_, l) => [...block, 'out.b'].map((n) => `h${l}.${n}`)).flat(),
    'lnF.g',
    'lnF.b',
    'readOut.w',
    'readOut.b',
  ];
}

/** The shapes of one call, read off its inputs. */
export interface LoopedStepShape {
  R: number;
  B: number;
  /** Tokens of the prompts given (T) and token width d. */
  promptTokens: number;
  tokenSize: number;
  /** Targets per prompt given (y's last axis). */
  targets: number;
  /** Embedding width D and MLP hidden width F. */
  embedSize: number;
  hidden: number;
  /** Learned positions (pos's T axis, ≥ T). */
  positions: number;
  /** Scalars per replica of every parameter, by name. */
  sizes: Record<string, number>;
}

/** The state inputs of one parameter, in order: θ, then each of the update rule's slots. */
export const stateNames = (param: string, slots: readonly string[]): string[] => [
  param,
  ...slots.map((s) => `${param}.${s}`),
];

const inputNames = new Map<string, readonly string[]>();

/**
 * The step's inputs in order: x, y, then θ and its slots per parameter (`loopedParamNames` order).
 * Made once per layer count and slots: the wrapper and the kernel ask for them every step, and at
 * 12 layers with Adam there are 455.
 */
export function stepInputNames(layers: number, slots: readonly string[]): readonly string[] {
  const key = `${layers}:${slots.join()}`;
  let names = inputNames.get(key);
  if (!names) {
    names = ['x', 'y', ...loopedParamNames(layers).flatMap((n) => stateNames(n, slots))];
    inputNames.set(key, names);
  }
  return names;
}

/**
 * Checks a call's inputs against each other and returns them in order (x, y, then θ and its slots
 * per parameter) with the shape; throws naming the kernel and the input that does not fit.
 */
export function checkLoopedStepInputs<T extends { shape: number[]; dtype: string }>(
  inputs: Record<string, T | undefined>,
  a: Pick<LoopedStepAttrs, 'layers' | 'heads' | 'readout' | 'tokens' | 'loops' | 'lossLoops' | 'update'>,
): { list: T[]; shape: LoopedStepShape } {
  const fail = (what: string): never => {
    throw new Error(`${LOOPED_STEP}: ${what}`);
  };
  const slots = a.update.slots;
  const per = 1 + slots.length;
  const names = stepInputNames(a.layers, slots);
  const list = names.map(
    (n) =>
      inputs[n] ?? fail(`missing input "${n}" (expected x, y, then θ and its slots ${slots.join(', ')} per parameter)`),
  );
  if (list.some((t) => t.dtype !== 'float32')) fail('every input must be float32');
  const [x, y] = list as [T, T];
  const byName = (n: string) => list[names.indexOf(n)] as T;
  if (x.shape.length !== 4) fail(`x must be rank 4 (R, B, T, d), but got [${x.shape.join(', ')}]`);
  const [R, B, promptTokens, tokenSize] = x.shape as [number, number, number, number];
  const readIn = byName('readIn.w').shape;
  const qkv = byName('h0.qkv.w').shape;
  const fc = byName('h0.fc.w').shape;
  const shape: LoopedStepShape = {
    R,
    B,
    promptTokens,
    tokenSize,
    targets: y.shape[2] as number,
    embedSize: readIn[2] as number,
    hidden: fc[2] as number,
    positions: byName('pos').shape[1] as number,
    sizes: {},
  };
  if (y.shape.length !== 3 || y.shape[0] !== R || y.shape[1] !== B)
    fail(`y must be (${R}, ${B}, P), but got [${y.shape.join(', ')}]`);
  if (qkv[2] !== 3 * shape.embedSize) fail(`h0.qkv.w must be (R, D, 3D), but got [${qkv.join(', ')}]`);
  if (shape.embedSize % a.heads !== 0) fail(`heads (${a.heads}) must divide the embedding width ${shape.embedSize}`);
  if (!Number.isInteger(a.lossLoops) || a.lossLoops < 1 || !Number.isInteger(a.loops) || a.lossLoops > a.loops)
    fail(`loops and lossLoops must be integers with 1 ≤ lossLoops ≤ loops, but got ${a.loops}, ${a.lossLoops}`);
  if (!Number.isInteger(a.tokens) || a.tokens < 1 || a.tokens > promptTokens)
    fail(`tokens must be an integer in [1, ${promptTokens}], but got ${a.tokens}`);
  if (a.readout === 'interleaved' && (a.tokens % 2 !== 0 || shape.targets * 2 !== promptTokens))
    fail(`the interleaved readout needs even tokens and y (R, B, T/2), but got tokens ${a.tokens}, y [${y.shape}]`);
  for (let i = 2; i < names.length; i += per) {
    const [p, ...rest] = list.slice(i, i + per) as [T, ...T[]];
    if (p.shape[0] !== R || rest.some((t) => t.shape.join() !== p.shape.join()))
      fail(
        `${names[i]} and its slots must share one shape with R = ${R} first, but got ${[p, ...rest].map((t) => `[${t.shape}]`).join(', ')}`,
      );
    shape.sizes[names[i] as string] = p.shape.slice(1).reduce((n, d) => n * d, 1);
  }
  if (shape.positions < promptTokens)
    fail(`pos has ${shape.positions} positions, fewer than x's ${promptTokens} tokens`);
  return { list, shape };
}
