/**
 * Structured control flow (core spec 2.0 §5.4.1) as the four shapes the kernels write: if, if/else,
 * loops that test before and after each pass. Every block has the empty block type (0x40): it takes
 * and leaves nothing on the stack. A condition is code that pushes one i32 (non-zero = true).
 */
import type { Code } from './instructions.js';
import { bump, get, i32c, op, set } from './instructions.js';

const BLOCK = 0x02;
const LOOP = 0x03;
const IF = 0x04;
const ELSE = 0x05;
const END = 0x0b;
const BR = 0x0c;
const BR_IF = 0x0d;
/** The empty block type (§5.4.1 blocktype). */
const VOID = 0x40;

/** `if (cond) { body }` */
export const ifThen = (cond: Code, body: Code): Code => [...cond, IF, VOID, ...body, END];

/** `if (cond) { then } else { otherwise }` */
export const ifElse = (cond: Code, then: Code, otherwise: Code): Code => [
  ...cond, IF, VOID, ...then, ELSE, ...otherwise, END,
];

/** `until (exit) { body }`: `exit` is evaluated before every pass; the loop ends when it is true. */
export const untilLoop = (exit: Code, body: Code): Code => [
  BLOCK, VOID, LOOP, VOID,
  ...exit, BR_IF, 1, // leave the block
  ...body,
  BR, 0, // next pass
  END, END,
];

/** `while (cond) { body }`: `cond` is evaluated before every pass. */
export const whileLoop = (cond: Code, body: Code): Code => untilLoop([...cond, op.eqz], body);

/** `for (i = 0; i < end; i += step) { body }` over the i32 locals `i` and `end` (signed compare). */
export const forUpTo = (i: number, end: number, step: number, body: Code): Code => [
  ...i32c(0), ...set(i),
  ...whileLoop([...get(i), ...get(end), op.ltS], [...body, ...bump(i, i32c(step))]),
];

/** `do { body } while (cond)`: at least one pass; `cond` is evaluated after every pass. */
export const doWhile = (body: Code, cond: Code): Code => [LOOP, VOID, ...body, ...cond, BR_IF, 0, END];

/**
 * An elementwise pass over n ≥ 4 floats, four at a time: `one(offset)` does the vector at byte
 * `offset` (code that pushes the offset); it runs every 16 bytes below the last vector, then once
 * at the last (n·4 − 16), which may overlap the one before, so outputs must not overlap inputs.
 * `n`, `last` and `at` are the caller's i32 locals; `at` starts at 0, as every local does.
 */
export const overVectors = (n: number, last: number, at: number, one: (offset: Code) => Code): Code => [
  ...get(n), ...i32c(4), op.mul, ...i32c(16), op.sub, ...set(last),
  ...whileLoop([...get(at), ...get(last), op.ltS], [...one(get(at)), ...bump(at, i32c(16))]),
  ...one(get(last)),
];
