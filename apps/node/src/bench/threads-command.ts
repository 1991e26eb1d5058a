import { availableParallelism } from 'node:os';
import { median } from '@learnability/core';
import { intFlag, parseFlags } from '../args.js';
import type { Io } from '../io.js';
import { buildConfig, loadRawConfig } from '../load-config.js';
import { formatTable } from '../render/table.js';
import { chooseWasmThreads, probeThreads, threadCandidates } from '../threads/choose-threads.js';
import { UsageError } from '../cli-error.js';

const HELP = `learnability bench threads <preset | config.json> [--set path=value] [--repeats N] [--seconds S] [--json]

Checks wasm's thread choice for one run: runs the chooser "run" uses (a short timed probe of
the run's own training step at each candidate count), then times that step at every candidate
count for longer (--repeats fresh threads each, default 3, --seconds S of steps each, default 4)
and reports whether the chosen count is within 10 % of the fastest.`;

/** How close to the fastest count the chosen one must be. */
const TOLERANCE = 0.1;

export async function benchThreadsCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(
    'bench threads',
    argv,
    {
      set: { type: 'string', multiple: true, default: [] },
      repeats: { type: 'string' },
      seconds: { type: 'string' },
    },
    1,
  );
  if (values.help) return (io.out(HELP), 0);
  const source = positionals[0];
  if (source === undefined)
    throw new UsageError(
      'bench threads: missing <preset | config.json>; e.g. learnability bench threads looped-linear-regression-small',
    );
  const repeats = intFlag('bench threads', 'repeats', values.repeats) ?? 3;
  const seconds = intFlag('bench threads', 'seconds', values.seconds) ?? 4;
  const loaded = loadRawConfig(source);
  const config = buildConfig(loaded.raw, { set: values.set, backend: 'wasm' });
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
          await probeThreads({
            config,
            threads,
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
  if (values.json) return (io.out(JSON.stringify(result)), 0);
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
