/**
 * The looped transformer's fused Adam step kernel: its name and attributes (the contract every
 * backend's implementation follows, as tfjs keeps kernel_names.ts apart from its backends).
 *
 * One whole training step of Yang et al. 2023's truncated loop loss (PAPERS.md §5) as a single
 * kernel: read-in, `loops` iterations of the GPT-2 blocks with input injection and LN_f, the
 * read-out and the loss of the last `lossLoops` iterations, the backward pass through those
 * iterations only, and bias-corrected Adam (AdamW when weightDecay > 0) over every parameter —
 * the same numbers as `@learnability/looped-adam`'s generic TF.js step, to float tolerance.
 *
 * Inputs: x (R, B, T, d) and y (R, B, P) — whole prompts; the step trains on their first
 * `tokens` tokens (the points curriculum's prefix) — then, for every parameter in
 * `loopedParamNames(layers)` order, θ, its Adam m and its Adam v (each the parameter's shape).
 * Outputs: θ, m, v of every parameter in that order, then the (R,) loss.
 */
import type { Readout } from '../config.js';

export const LOOPED_ADAM_STEP = 'LearnabilityLoopedAdamStep';

/** A type, not an interface, so it is a TF.js `NamedAttrMap` as it stands. */
export type LoopedAdamStepAttrs = {
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
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
  /** 1-based Adam step number (for the bias corrections). */
  step: number;
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

/**
 * Checks a call's inputs against each other and returns them in order (x, y, then θ, m, v per
 * parameter) with the shape; throws naming the kernel and the input that does not fit.
 */
export function checkLoopedStepInputs<T extends { shape: number[]; dtype: string }>(
  inputs: Record<string, T | undefined>,
  a: Pick<LoopedAdamStepAttrs, 'layers' | 'heads' | 'readout' | 'tokens' | 'loops' | 'lossLoops'>,
): { list: T[]; shape: LoopedStepShape } {
  const fail = (what: string): never => {
    throw new Error(`${LOOPED_ADAM_STEP}: ${what}`);
  };
  const names = ['x', 'y', ...loopedParamNames(a.layers).flatMap((n) => [n, `${n}.m`, `${n}.v`])];
  const list = names.map((n) => inputs[n] ?? fail(`missing input "${n}" (expected x, y, then θ, m, v per parameter)`));
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
  for (let i = 2; i < names.length; i += 3) {
    const [p, m, v] = [list[i], list[i + 1], list[i + 2]] as [T, T, T];
    if (p.shape[0] !== R || m.shape.join() !== p.shape.join() || v.shape.join() !== p.shape.join())
      fail(
        `${names[i]} and its m, v must share one shape with R = ${R} first, but got [${p.shape}], [${m.shape}], [${v.shape}]`,
      );
    shape.sizes[names[i] as string] = p.shape.slice(1).reduce((n, d) => n * d, 1);
  }
  if (shape.positions < promptTokens)
    fail(`pos has ${shape.positions} positions, fewer than x's ${promptTokens} tokens`);
  return { list, shape };
}
