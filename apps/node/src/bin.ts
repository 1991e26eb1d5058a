#!/usr/bin/env node
import { ConfigError, LearnabilityError } from '@learnability/core';
import { UsageError } from './cli-error.js';
import { backendsCommand } from './commands/backends.js';
import { benchCommand } from './commands/bench.js';
import { inalCommand } from './commands/inal.js';
import { plotCommand } from './commands/plot.js';
import { presetsCommand } from './commands/presets.js';
import { runCommand } from './commands/run.js';
import { sweepCommand } from './commands/sweep.js';
import { workerCommand } from './commands/worker.js';
import { didYouMean } from './did-you-mean.js';
import { processIo } from './io.js';
import type { Io } from './io.js';
import { versionLine } from './versions.js';

const COMMANDS: Record<string, { run: (argv: string[], io: Io) => Promise<number>; summary: string }> = {
  run: { run: runCommand, summary: 'train a preset or config file; writes a JSONL run record' },
  presets: { run: presetsCommand, summary: 'list the named presets' },
  plot: { run: plotCommand, summary: 'draw a run record as SVG or PNG' },
  backends: { run: backendsCommand, summary: 'list TF.js backends and whether each can run here' },
  bench: { run: benchCommand, summary: 'benchmarks: backends | elimination | train' },
  inal: { run: inalCommand, summary: 'initial alignment of a model with a Boolean target, and its decay with n' },
  sweep: { run: sweepCommand, summary: 'run a grid of configs × seeds on worker threads or a Redis queue' },
  worker: { run: workerCommand, summary: 'take sweep runs off a Redis queue' },
};

const HELP = `learnability <command> [options]

${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(9)} ${c.summary}`)
  .join('\n')}

Every command takes --help and --json. Start with: learnability run sparse-parity
learnability --version prints the version.

Exit codes: 0 done; 1 a runtime failure (training diverged, Redis unreachable, a bug);
2 a usage or input error (unknown command, preset or flag, a bad or missing flag value,
an invalid config, a missing or unreadable file).`;

async function main(argv: string[]): Promise<number> {
  const io = processIo();
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(HELP);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    io.out(versionLine());
    return 0;
  }
  const command = COMMANDS[name];
  try {
    if (!command) throw new UsageError(`unknown ${name.startsWith('-') ? 'flag' : 'command'} "${name}"; ${didYouMean(name, [...Object.keys(COMMANDS), '--version', '--help'])}commands: ${Object.keys(COMMANDS).join(', ')} (learnability --help)`);
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError || e instanceof ConfigError) {
      io.err(`error: ${e instanceof ConfigError ? `invalid config: ${e.message}` : e.message}`);
      return 2;
    }
    if (e instanceof LearnabilityError) {
      io.err(`error: ${e.message}`);
      return 1;
    }
    // An error we did not foresee: one line, and the stack only when asked for.
    io.err(`error: ${e instanceof Error ? e.message : String(e)}${process.env.LEARNABILITY_DEBUG ? `\n${e instanceof Error ? e.stack : ''}` : ' (set LEARNABILITY_DEBUG=1 for the stack)'}`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
