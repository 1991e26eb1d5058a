/**
 * Ctrl-C as a stop, not a kill: the first SIGINT or SIGTERM aborts the returned signal, so a run
 * stops at its next evaluation, checkpointed and with its end line written (status `stopped`); a
 * second one exits at once (code 130), leaving the record as the last evaluation wrote it.
 */
import type { Io } from './io.js';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export interface Interruptible {
  signal: AbortSignal;
  /** Removes the handlers: Ctrl-C kills the process again. */
  dispose(): void;
}

/** Handlers for `command`, until `dispose`; `onFirst` says what the first signal does. */
export function stopOnSignal(io: Io, command: string, onFirst: (signal: NodeJS.Signals) => void): Interruptible {
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    if (!controller.signal.aborted) {
      onFirst(sig);
      return controller.abort();
    }
    io.err(`${command}: second ${sig}: exiting now`);
    process.exit(130);
  };
  for (const sig of SIGNALS) process.on(sig, onSignal);
  return { signal: controller.signal, dispose: () => SIGNALS.forEach((sig) => process.off(sig, onSignal)) };
}
