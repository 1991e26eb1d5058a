/**
 * tfjs-backend-wasm's Emscripten glue, when it starts in Node, adds `uncaughtException` and
 * `unhandledRejection` handlers to `process` that throw the error again from inside the glue's
 * one minified line. Node then prints that whole line, tens of kilobytes, above the error of any
 * program that fails later, and exits with code 7 (an exception handler that threw); a program's
 * own handler that logs a rejection and goes on cannot keep the process alive. Without them Node
 * prints the error itself and exits 1.
 */
import { runtimePlatform } from '../runtime.js';

const EVENTS = ['uncaughtException', 'unhandledRejection'] as const;

/** Runs `start` (which starts the wasm module), then removes the process handlers it added. */
export async function withoutAddedProcessHandlers<T>(start: () => Promise<T>): Promise<T> {
  if (runtimePlatform() !== 'node') return start();
  // As a plain emitter: process's typed overloads take one event name at a time.
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
  try {
    return await start();
  } finally {
    for (const event of EVENTS)
      for (const listener of emitter.listeners(event))
        if (!before.get(event)?.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
  }
}
