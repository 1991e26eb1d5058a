/**
 * The loop and load shapes both routine modules (block-routines.ts, attention-routines.ts) are
 * written with: walks along a row four floats at a time. Locals are i32 byte offsets.
 */
import { bump, get, i32c, mem, op, set, whileLoop } from '@learnability/wasm-asm';
import type { Code } from '@learnability/wasm-asm';

/** `for (at = 0; at < bytes; at += 16) body`: a row's vectors, `bytes` a multiple of 16. */
export const vectorsUpTo = (at: number, bytes: number, body: Code): Code => [
  ...i32c(0), ...set(at),
  ...whileLoop([...get(at), ...get(bytes), op.ltS], [...body, ...bump(at, i32c(16))]),
];

/** Pushes the f32x4 at local `base` + local `at`. */
export const vectorAt = (base: number, at: number): Code => [...get(base), ...get(at), op.add, ...mem.v128Load(0, 2)];
