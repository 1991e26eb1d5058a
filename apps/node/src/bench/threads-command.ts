import { availableParallelism } from 'node:os';
import { median } from '@learnability/core';
import type { Io } from '../io.js';
import { buildConfig, loadRawConfig } from '../load-config.js';
import { formatTable } from '../render/table.js';
import { chooseWasmThreads, probeThreads, threadCandidates } from '../threads/choose-threads.js';
import { UsageError } from '../cli-error.js';
import { flagHelp, parseSchemaFlags } from '../schema-flags.js';
import type { FlagSpecs } from '../schema-flags.js';

const FLAGS = {
  set: { type: 'strings', arg: 'path=value', default: [], doc: "override the run's config (repeatable)" },
  repeats: { type: 'int', default: 3, min: 1, doc: 'fresh thread pools timed at each candidate count' },
  seconds: {
    type: 'int',
    default: 4,
    min: 1,
    unit: 's',
    doc: "of timed steps in each block (a probe also evaluates after every step, so a small model's block takes several times longer)",
  },
} as const satisfies FlagSpecs;

const HELP = `learnability bench threads <preset | config.json> [options] [--json]

Checks wasm's thread choice for one run: runs the chooser "run" uses (a short timed probe of
the run's own training step at each candidate count), then times that step at every candidate
count for longer (--repeats fresh thread pools, --seconds of steps each) and reports whether the
chosen count is within 10 % of the fastest.

${flagHelp(FLAGS)}`;

/** How close to the fastest count the chosen one must be. */
const TOLERANCE = 0.1;

export async function benchThreadsCommand(argv: string[], io: Io): Promise<number> {
  const parsed = parseSchemaFlags('bench threads', argv, FLAGS, () => [], 1);
  if (parsed.help) return (io.out(HELP), 0);
  const { set, repeats, seconds } = parsed.values;
  const source = parsed.positionals[0];
  if (source === undefined)
    throw new UsageError(
      'bench threads: missing <preset | config.json>; e.g. learnability bench threads looped-linear-regression-small',
    );
  // It times wasm's threads: another backend set here would be replaced without a word.
  const backendSet = set.find((s) => /^\s*backend\s*=/.test(s));
  if (backendSet !== undefined)
    throw new UsageError(`bench threads: times wasm's thread counts, so --set ${backendSet} does not apply; drop it`);
  const loaded = loadRawConfig('bench threads', source);
  // A config file's own backend would be replaced as silently.
  const own = loaded.raw.backend;
  if (own !== undefined && own !== 'wasm' && own !== 'auto')
    throw new UsageError(
      `bench threads: times wasm's thread counts, but ${loaded.name} asks for backend ${JSON.stringify(own)}; set its "backend" to "wasm" or leave it out`,
    );
  const config = buildConfig(loaded.raw, { set, backend: 'wasm' });
  if (!config.model || !config.trainer)
    throw new UsageError(
      `bench threads: ${loaded.name} trains no network (its learners run alone), so it has no step to time; pick a preset with a model, e.g. sparse-parity`,
    );
  const cores = availableParallelism();

  io.status(`choosing wasm threads for ${loaded.name}…`);
  const choice = await chooseWasmThreads(config, cores);
  const timed = [];
  for (const threads of threadCandidates(cores)) {
    const medians = [];
    for (let r = 0; r < repeats; r++) {
      io.status(`timing ${loaded.name} at ${threads} thread(s), ${r + 1}/${repeats}…`);
      medians.push(
        median(
          await probeThreads(config, threads, {
            budgetMs: seconds * 1000,
            minSteps: 3,
            maxSteps: 10_000,
            stopAboveMs: null,
          }),
        ),
      );
    }
    timed.push({ threads, msPerStep: median(medians), repeats: medians });
  }
  io.status('');
  const fastest = timed.reduce((a, b) => (b.msPerStep < a.msPerStep ? b : a));
  const chosen = timed.find((t) => t.threads === choice.threads) ?? fastest;
  const ratio = chosen.msPerStep / fastest.msPerStep;
  const result = {
    benchmark: 'threads',
    preset: loaded.name,
    cores,
    choice,
    timed,
    fastest: fastest.threads,
    chosenOverFastest: ratio,
    withinTolerance: ratio <= 1 + TOLERANCE,
  };
  if (parsed.json) return (io.out(JSON.stringify(result)), 0);
  io.out(`${loaded.name} on wasm, ${cores} logical cores; chooser: ${choice.note}`);
  io.out(
    formatTable(
      ['threads', 'ms/step (median of repeats)', 'each repeat', ''],
      timed.map((t) => [
        String(t.threads),
        t.msPerStep.toPrecision(3),
        t.repeats.map((m) => m.toPrecision(3)).join(', '),
        t.threads === choice.threads ? 'chosen' : '',
      ]),
    ),
  );
  io.out(
    `chosen ${choice.threads} thread(s): ${ratio.toFixed(2)}× the fastest (${fastest.threads} thread(s)) — ${result.withinTolerance ? 'within' : 'NOT within'} ${TOLERANCE * 100} %`,
  );
  return 0;
}
