import { PRESETS } from '@learnability/presets';
import { parseFlags } from '../args.js';
import type { Io } from '../io.js';

export const PRESETS_HELP = `learnability presets [--json]

Lists the named presets, one line each. Run one with: learnability run <preset>`;

export async function presetsCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parseFlags('presets', argv, {});
  if (values.help) return (io.out(PRESETS_HELP), 0);
  if (values.json) {
    io.out(
      JSON.stringify({ presets: PRESETS.map((p) => ({ name: p.name, description: p.description, config: p.config })) }),
    );
    return 0;
  }
  const width = Math.max(...PRESETS.map((p) => p.name.length));
  for (const p of PRESETS) io.out(`${p.name.padEnd(width)}  ${p.description}`);
  return 0;
}
