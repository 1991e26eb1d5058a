import { afterEach, describe, expect, it, vi } from 'vitest';
import { stopOnSignal } from './interrupt.js';
import type { Io } from './io.js';

describe('stopOnSignal', () => {
  afterEach(() => vi.restoreAllMocks());

  it('takes the same Ctrl-C delivered twice at once as one; a second press later exits', async () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const lines: string[] = [];
    const io: Io = { out: () => {}, err: (l) => void lines.push(l), status: () => {}, interactive: false };
    const stops: string[] = [];
    const interrupt = stopOnSignal(io, 'run', (sig) => stops.push(sig));
    try {
      // `timeout` signals the child and its group; pnpm forwards a SIGINT as a SIGTERM.
      process.emit('SIGINT', 'SIGINT');
      process.emit('SIGTERM', 'SIGTERM');
      expect([interrupt.signal.aborted, interrupt.exitCode, stops, exit.mock.calls.length]).toEqual([
        true,
        130,
        ['SIGINT'],
        0,
      ]);
      await new Promise((resolve) => setTimeout(resolve, 350));
      process.emit('SIGINT', 'SIGINT');
      expect(exit).toHaveBeenCalledWith(130);
      expect(lines).toEqual([
        'run: SIGTERM: already stopping at the next evaluation (again to quit at once)',
        'run: second SIGINT: exiting now',
      ]);
    } finally {
      interrupt.dispose();
    }
  });
});
