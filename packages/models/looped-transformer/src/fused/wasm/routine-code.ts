/**
 * The loop and load shapes both routine modules (block-routines.ts, attention-routines.ts) are
 * written with: walks along a row four floats at a time. Locals are i32 byte offsets.
 */
import { forUpTo, get, mem, op } from '@learnability/wasm-asm';
import type { Code } from '@learnability/wasm-asm';

/** `for (at = 0; at < bytes; at += 16) body`: a row's vectors, `bytes` a multiple of 16. */
export const vectorsUpTo = (at: number, bytes: number, body: Code): Code => forUpTo(at, bytes, 16, body);

/** Pushes the f32x4 at local `base` + local `at`. */
export const vectorAt = (base: number, at: number): Code => [...get(base), ...get(at), op.add, ...mem.v128Load(0, 2)];
