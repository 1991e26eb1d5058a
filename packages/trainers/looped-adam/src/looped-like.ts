/**
 * The looped transformer as looped-adam sees it (`LoopedLike`), typed here so this package needs
 * no import of `@learnability/looped-transformer`.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import type { Model, Params } from '@learnability/core';
import type { WgslUpdateRule } from '@learnability/sgd';

/** A model's whole truncated-loop step as one fused kernel (`fusedStep` of the looped transformer). */
export interface FusedLoopedStep {
  /** Why it cannot run on the current backend, or null. */
  unsupported(): string | null;
  /** New θ and rule state (`${name}.${slot}`) and the (R,) loss; the inputs stay the caller's. */
  step(args: {
    params: Params;
    slots: Record<string, Tensor>;
    x: Tensor;
    y: Tensor;
    plan: { loops: number; lossLoops: number; points: number | null };
    update: WgslUpdateRule;
  }): { params: Params; slots: Record<string, Tensor>; loss: Tensor };
}

/**
 * The public shape of a `@learnability/looped-transformer` model that looped-adam reads: its loop
 * pieces and two config fields.
 */
export interface LoopedLike extends Model {
  readonly config: { readonly loops: number; readonly readout: string };
  /** Read-in: x (R, B, T', d) → P (R, B, T', D). */
  embed(params: Params, x: Tensor): Tensor;
  /** One loop iteration: Y (R, B, T', D), P (R, B, T', D) → Y'. */
  iterate(params: Params, y: Tensor, p: Tensor): Tensor;
  /** Read-out: Y (R, B, T', D) → (R, B, outputs'). */
  readout(params: Params, y: Tensor): Tensor;
  /** Optional: the whole step fused (the trainer runs it where `unsupported()` is null). */
  readonly fusedStep?: FusedLoopedStep;
}

/**
 * Whether `model` has the looped transformer's loop pieces (`embed`, `iterate`, `readout`) and a
 * numeric `config.loops`: a structural check, not of the model's name. looped-adam refuses any
 * other model.
 */
export function isLoopedLike(model: Model): model is LoopedLike {
  const m = model as Partial<LoopedLike>;
  return (
    typeof m.embed === 'function' &&
    typeof m.iterate === 'function' &&
    typeof m.readout === 'function' &&
    typeof m.config?.loops === 'number'
  );
}
