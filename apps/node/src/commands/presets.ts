import { PRESETS, validateConfig } from '@learnability/presets';
import { parseFlags } from '../args.js';
import { UsageError } from '../cli-error.js';
import { didYouMean } from '../did-you-mean.js';
import type { Io } from '../io.js';
import { configPathLines } from './config-paths.js';

export const PRESETS_HELP = `learnability presets [<preset>] [--json]

Lists the named presets, one line each. Run one with: learnability run <preset>
With a preset's name: its config paths for --set, each with the preset's value, the default
where it differs, and what it means (--json: the config with every default filled in).`;

export async function presetsCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags('presets', argv, {}, 1);
  if (values.help) return (io.out(PRESETS_HELP), 0);
  const name = positionals[0];
  if (name !== undefined) {
    const preset = PRESETS.find((p) => p.name === name);
    const names = PRESETS.map((p) => p.name);
    if (!preset)
      throw new UsageError(
        `presets: unknown preset "${name}"; ${didYouMean(name, names)}known presets: ${names.join(', ')}`,
      );
    if (values.json) io.out(JSON.stringify(validateConfig(preset.config)));
    else for (const line of configPathLines(preset)) io.out(line);
    return 0;
  }
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
