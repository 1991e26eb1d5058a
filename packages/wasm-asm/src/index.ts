export { sleb, uleb } from './encoding.js';
export type { Code } from './instructions.js';
export { bump, F32, f32c, f32x4ExtractLane, get, I32, i32c, mem, op, set, simdOp, tee, V128 } from './instructions.js';
export { doWhile, forUpTo, ifElse, ifThen, overVectors, untilLoop, whileLoop } from './control.js';
export type { AsmFunction, ModuleMemory } from './module.js';
export { assembleModule, instancePerMemory } from './module.js';
