#!/usr/bin/env node
import { ConfigError, LearnabilityError } from '@learnability/core';
import { UsageError } from './cli-error.js';
import { didYouMean } from './did-you-mean.js';
import { processIo } from './io.js';
import type { Io } from './io.js';

type Command = (argv: string[], io: Io) => Promise<number>;

/**
 * A command: its code, loaded on use (`worker` need not load TF.js and vega to say Redis is
 * unreachable), its line in the help, and which sizes to lower when one is too big to allocate
 * (given the arguments after the command).
 */
interface CommandEntry {
  load: () => Promise<Command>;
  summary: string;
  sizes?: (rest: string[]) => string;
}

const COMMANDS: Record<string, CommandEntry> = {
  run: {
    load: async () => (await import('./commands/run.js')).runCommand,
    summary: 'train a preset or config file; writes a JSONL run record',
    sizes: () => 'task.n, model.widths, run.replicas, run.batchSize or run.testSize',
  },
  presets: {
    load: async () => (await import('./commands/presets.js')).presetsCommand,
    summary: 'list the named presets',
  },
  plot: {
    load: async () => (await import('./commands/plot.js')).plotCommand,
    summary: 'draw a run record as SVG or PNG',
  },
  backends: {
    load: async () => (await import('./commands/backends.js')).backendsCommand,
    summary: 'list TF.js backends and whether each can run here',
  },
  bench: {
    load: async () => (await import('./commands/bench.js')).benchCommand,
    summary: 'benchmarks: backends | elimination | train | align | gpu | threads | unroll',
    sizes: (rest) => `the benchmark's sizes (learnability bench ${rest[0] ?? '<name>'} --help lists them)`,
  },
  inal: {
    load: async () => (await import('./commands/inal.js')).inalCommand,
    summary: 'initial alignment of a model with a Boolean target, and its decay with n',
    sizes: () => "--n, --samples, --inits or the model's widths",
  },
  sweep: {
    load: async () => (await import('./commands/sweep.js')).sweepCommand,
    summary: 'run a grid of configs × seeds on worker threads or a Redis queue',
    sizes: () => "the spec's task.n, model.widths, run.replicas, run.batchSize or run.testSize",
  },
  worker: {
    load: async () => (await import('./commands/worker.js')).workerCommand,
    summary: 'take sweep runs off a Redis queue',
  },
};

const HELP = `learnability <command> [options]

${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(9)} ${c.summary}`)
  .join('\n')}

Every command takes --help (or: learnability help <command>), and all but worker take --json;
run, sweep and inal take --dry-run (check, say what would run, train nothing).
Start with: learnability run sparse-parity
learnability --version prints the version (with --json, every package's and the git commit).

Exit codes: 0 done; 1 a runtime failure (training diverged, Redis unreachable, a bug);
2 a usage or input error (unknown command, preset or flag, a bad or missing flag value,
an invalid config, a missing or unreadable file); 130 (143) run, sweep or an experiment
stopped by Ctrl-C (SIGTERM), its runs checkpointed.`;

async function main(argv: string[]): Promise<number> {
  const io = processIo();
  const [first, ...after] = argv;
  // `learnability help run` is `learnability run --help`, and `help bench gpu` is `bench gpu --help`.
  const [name, ...rest] = first === 'help' && after[0] !== undefined ? [...after, '--help'] : argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(HELP);
    return name === undefined ? 2 : 0;
  }
  // Own keys only: `learnability constructor` found Object's and crashed.
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  try {
    if (name === '--version' || name === '-v') {
      const extra = rest.filter((a) => a !== '--json');
      if (extra.length > 0)
        throw new UsageError(`${name} takes only --json, but got ${extra.map((a) => `"${a}"`).join(', ')}`);
      const versions = await import('./versions.js');
      // With --json, as every command: the packages' versions (and the git commit) as one object.
      io.out(rest.includes('--json') ? JSON.stringify(versions.packageVersions()) : versions.versionLine());
      return 0;
    }
    if (!command && name.startsWith('-') && rest[0] !== undefined && Object.hasOwn(COMMANDS, rest[0]))
      throw new UsageError(`flags go after the command: learnability ${rest[0]} ${name}${rest.length > 1 ? ' …' : ''}`);
    if (!command)
      throw new UsageError(
        `unknown ${name.startsWith('-') ? 'flag' : 'command'} "${name}"; ${didYouMean(name, [...Object.keys(COMMANDS), '--version', '--help'])}commands: ${Object.keys(COMMANDS).join(', ')} (learnability --help)`,
      );
    return await (await command.load())(rest, io);
  } catch (e) {
    // One line each, even where a message quotes text with line breaks (JSON.parse's quotes the file).
    const line = (message: string) => message.replace(/\s*\n\s*/g, ' ');
    if (e instanceof UsageError || e instanceof ConfigError) {
      io.err(`error: ${line(e instanceof ConfigError ? `invalid config: ${e.message}` : e.message)}`);
      return 2;
    }
    if (e instanceof LearnabilityError) {
      io.err(`error: ${line(e.message)}`);
      return 1;
    }
    // A size past what JavaScript can allocate (a typed array of 10¹² floats): the sizes asked for,
    // not a bug, so said as bad input. Commands with a memory estimate refuse such runs before this.
    if (
      e instanceof RangeError &&
      /Invalid typed array length|Array buffer allocation failed|Invalid array length/.test(e.message)
    ) {
      io.err(
        `error: ${name}: the sizes asked for need more memory than one process can allocate (${line(e.message)}); lower ${command?.sizes?.(rest) ?? 'them'}`,
      );
      return 2;
    }
    // An error we did not foresee: one line, and the stack only when asked for.
    io.err(
      `error: ${line(e instanceof Error ? e.message : String(e))}${process.env.LEARNABILITY_DEBUG ? `\n${e instanceof Error ? e.stack : ''}` : ' (set LEARNABILITY_DEBUG=1 for the stack)'}`,
    );
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
