/**
 * Ctrl-C as a stop, not a kill: the first SIGINT or SIGTERM aborts the returned signal, so a run
 * stops at its next evaluation, checkpointed and with its end line written (status `stopped`); a
 * second one (not within 300 ms of the first: that is the same one delivered twice) exits at once,
 * leaving the record as the last evaluation wrote it. Either way the exit
 * code is a shell's for that signal: 130 for SIGINT, 143 for SIGTERM. A closed stdout (io.ts) is
 * a first stop too, exit code 141 (SIGPIPE's).
 */
import { constants } from 'node:os';
import { stdoutEvents } from './io.js';
import type { Io } from './io.js';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** A second signal this soon after the first (ms) is the first one delivered again. */
const SAME_PRESS_MS = 300;

/** 128 + the signal's number, as a shell reports a process that signal ended. */
const exitCodeOf = (sig: NodeJS.Signals) => 128 + constants.signals[sig];

/** The exit code of a command stopped because its stdout was closed: SIGPIPE's, as a shell gives it (141). */
export const STDOUT_CLOSED_EXIT = exitCodeOf('SIGPIPE');

/**
 * Where a stopped command says where it stopped: on stderr when stdout was closed (the one still
 * read), else as its other lines (`log`).
 */
export const stoppedLog = (exitCode: number | null, io: Pick<Io, 'err'>, log: (line: string) => void) =>
  exitCode === STDOUT_CLOSED_EXIT ? (line: string) => io.err(line) : log;

export interface Interruptible {
  signal: AbortSignal;
  /** The exit code for the signal that stopped the command (130 for Ctrl-C), or null: none came. */
  readonly exitCode: number | null;
  /** Removes the handlers: Ctrl-C kills the process again. */
  dispose(): void;
}

/** Handlers for `command`, until `dispose`; `onFirst` says what the first signal does. */
export function stopOnSignal(io: Io, command: string, onFirst: (signal: NodeJS.Signals) => void): Interruptible {
  const controller = new AbortController();
  let exitCode: number | null = null;
  let firstAt = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    if (!controller.signal.aborted) {
      exitCode = exitCodeOf(sig);
      firstAt = performance.now();
      onFirst(sig);
      return controller.abort();
    }
    // The same Ctrl-C delivered twice (`timeout` signals the child and its group; pnpm forwards a
    // SIGINT as a SIGTERM), or two presses that waited out one long step together: one press.
    if (performance.now() - firstAt < SAME_PRESS_MS)
      return io.err(`${command}: ${sig}: already stopping at the next evaluation (again to quit at once)`);
    io.err(`${command}: second ${sig}: exiting now`);
    process.exit(exitCodeOf(sig));
  };
  // stdout's reader gone (`learnability run … | head`; io.ts says it once): a stop, as a first
  // Ctrl-C is, with the exit code a shell gives a process SIGPIPE ended (141).
  const onPipe = () => {
    if (controller.signal.aborted) return;
    exitCode = STDOUT_CLOSED_EXIT;
    io.err(`${command}: stdout was closed (its reader ended): stopping at the next evaluation, checkpointed`);
    controller.abort();
  };
  for (const sig of SIGNALS) process.on(sig, onSignal);
  stdoutEvents.on('closed', onPipe);
  return {
    signal: controller.signal,
    get exitCode() {
      return exitCode;
    },
    dispose: () => {
      SIGNALS.forEach((sig) => process.off(sig, onSignal));
      stdoutEvents.off('closed', onPipe);
    },
  };
}
