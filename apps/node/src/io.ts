import { EventEmitter } from 'node:events';

/** Where a command writes: stdout lines, stderr lines, and whether stderr is a terminal. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
  /** A progress line that rewrites itself on a terminal (no-op elsewhere). */
  status(line: string): void;
  readonly interactive: boolean;
}

/**
 * Says `closed` once stdout's reader has gone. Not a SIGPIPE listener: removing one leaves that
 * signal at its default, so the next write to a closed pipe would kill Node.
 */
export const stdoutEvents = new EventEmitter<{ closed: [] }>();

export function processIo(): Io {
  // A reader that stops early (`learnability presets | head`) ends the command quietly, not with
  // a stack trace. A command that trains listens to `stdoutEvents` (interrupt.ts) and stops as at
  // Ctrl-C, at its next evaluation, checkpointed: exiting here could fall between an evaluation's
  // line and its checkpoint. Either way nothing more is written to stdout.
  let stdoutClosed = false;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    if (stdoutClosed) return;
    stdoutClosed = true;
    if (stdoutEvents.listenerCount('closed') > 0) stdoutEvents.emit('closed');
    else process.exit(0);
  });
  const interactive = Boolean(process.stderr.isTTY);
  let statusShown = false;
  const clearStatus = () => {
    if (statusShown) process.stderr.write('\r\x1b[2K');
    statusShown = false;
  };
  return {
    interactive,
    out: (line) => {
      clearStatus();
      if (!stdoutClosed) process.stdout.write(`${line}\n`);
    },
    err: (line) => {
      clearStatus();
      process.stderr.write(`${line}\n`);
    },
    status: (line) => {
      if (!interactive) return;
      process.stderr.write(`\r\x1b[2K${line}`);
      statusShown = true;
    },
  };
}
