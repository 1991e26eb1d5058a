import { listBackends } from '@learnability/backends';
import { parseFlags } from '../args.js';
import { formatTable } from '../render/table.js';
import type { Io } from '../io.js';

export const BACKENDS_HELP = `learnability backends [--json]

Lists the TF.js backends and whether each can run here (cpu, wasm, webgpu through Dawn).
  --json   one JSON object: {"backends": [{name, available, reason?, adapter?}, ...]}`;

export async function backendsCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parseFlags('backends', argv, {});
  if (values.help) return (io.out(BACKENDS_HELP), 0);
  const backends = await listBackends();
  if (values.json) {
    io.out(JSON.stringify({ backends }));
    return 0;
  }
  const rows = backends.map((b) => [
    b.name,
    b.available ? 'yes' : 'no',
    b.adapter
      ? `${[b.adapter.vendor, b.adapter.architecture, b.adapter.description].filter(Boolean).join(' / ')}${b.adapter.isFallbackAdapter ? ' (software)' : ''}`
      : '',
    b.reason ?? '',
  ]);
  io.out(formatTable(['backend', 'available', 'adapter', 'note'], rows));
  return 0;
}
