/**
 * Boopathy & Fiete 2022 as data: one run per (setting, width, rule) on the sweep pool, every rule of
 * a width from the same θ₀ and data (the same config but the trainer, the same seed); once they are
 * done, each rule's alignment with backprop is scored here from the runs' checkpoints (θ₀ and θ_T).
 */
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { meanAlignment } from '@learnability/align';
import type { Params } from '@learnability/core';
import { checkpointPathFor, readCheckpointFor } from '@learnability/experiment/node';
import type { Io } from '../io.js';
import { namedExperiment, presetConfig } from './data-experiment.js';
import type { DataExperiment, Flags, PlannedRun } from './data-experiment.js';
import type { FlagSpecs } from '../schema-flags.js';
import { report } from './align-width-sweep/report.js';
import type { Alignment } from './align-width-sweep/report.js';
import { DEFAULT_RULES, RULES, SCALE_FLAGS, SETTING_IDS, settings } from './align-width-sweep/settings.js';
import type { RuleId, Setting, SettingId } from './align-width-sweep/settings.js';

const NAME = 'align-width-sweep';

const FLAGS = {
  ...SCALE_FLAGS,
  settings: { type: 'string[]', default: [...SETTING_IDS], values: SETTING_IDS, doc: 'settings to run' },
  rules: {
    type: 'string[]',
    default: [...DEFAULT_RULES],
    values: Object.keys(RULES),
    doc: 'learning rules; backprop is always run',
  },
} as const satisfies FlagSpecs;

type F = Flags<typeof FLAGS>;

const chosen = (f: F): Setting[] => settings(f).filter((x) => f.settings.includes(x.id));

/** The settings each scale flag sizes: one given while --settings selects none of them would do nothing. */
const READ_BY: Record<keyof typeof SCALE_FLAGS, readonly SettingId[]> = {
  widths: ['mnist'],
  'small-widths': ['mnist-small'],
  'small-data': ['mnist-small'],
  'mnist-steps': ['mnist', 'mnist-small'],
  'add-widths': ['add'],
  'add-steps': ['add'],
};

function unreadFlags(f: F, given: ReadonlySet<string>): string[] {
  return Object.entries(READ_BY).flatMap(([flag, ids]) =>
    given.has(flag) && !ids.some((id) => f.settings.includes(id))
      ? [
          `--${flag}: sizes the ${ids.join(' and ')} setting${ids.length > 1 ? 's' : ''}, which --settings ${f.settings.join(',')} does not select; drop it or add ${ids[0]} to --settings`,
        ]
      : [],
  );
}
const rulesOf = (f: F) => ['backprop', ...f.rules.filter((r) => r !== 'backprop')] as RuleId[];
const key = (setting: string, width: number, rule: string) => `${setting} w=${width} ${rule}`;

/** A run's θ₀ and last checkpointed parameters (a run that diverged before its evaluation has none). */
function endpoints(run: PlannedRun | undefined): { initial: Params; final: Params } | null {
  if (!run || !existsSync(checkpointPathFor(run.recordPath))) return null;
  const c = readCheckpointFor(run.recordPath);
  tf.dispose(Object.values(c.slots));
  return { initial: c.initialParams, final: c.params };
}

const dispose = (p: { initial: Params; final: Params } | null) =>
  tf.dispose([Object.values(p?.initial ?? {}), Object.values(p?.final ?? {})]);

/** Throws unless `run` started from the reference's θ₀: the alignment compares changes from one θ₀. */
async function checkSameStart(reference: Params, run: Params, what: string): Promise<void> {
  for (const [name, t] of Object.entries(reference)) {
    const [a, b] = await Promise.all([t.data(), run[name]?.data()]);
    if (!b || a.length !== b.length || a.some((v, i) => v !== b[i]))
      throw new Error(`${NAME}: ${what} did not start from backprop's θ₀ (parameter ${name})`);
  }
}

/** Each rule's mean and per-matrix alignment with the backprop run of its width (same θ₀), by run key. */
async function measure(f: F, io: Io, runs: ReadonlyMap<string, PlannedRun>) {
  const out = new Map<string, Alignment>();
  for (const setting of chosen(f))
    for (const width of setting.widths) {
      io.status(`${setting.id} width ${width}: alignment with backprop…`);
      const reference = endpoints(runs.get(key(setting.id, width, 'backprop')));
      for (const rule of rulesOf(f).slice(1)) {
        // Its hidden matrices never move: no ΔWᵀΔW to compare but the readout's, so no score.
        if (rule === 'readout-only') continue;
        const run = endpoints(runs.get(key(setting.id, width, rule)));
        if (reference && run) {
          await checkSameStart(reference.initial, run.initial, key(setting.id, width, rule));
          out.set(key(setting.id, width, rule), await meanAlignment(reference.initial, reference.final, run.final));
        }
        dispose(run);
      }
      dispose(reference);
    }
  io.status('');
  return out;
}

const experiment: DataExperiment<typeof FLAGS, Map<string, Alignment>> = {
  name: NAME,
  summary:
    'Align-zero / Align-ada / FA / DFA / readout-only vs backprop across widths on MNIST and the add task (Boopathy & Fiete 2022)',
  about: `Boopathy & Fiete 2022 (docs/papers.md §4): trains learning rules (backprop and --rules) at
several widths on MNIST (preset align-mnist), on MNIST with a small training set, and on the
recurrent add task (align-add), every rule from the same θ₀ and data; writes test accuracy / MSE
vs width, the alignment cos(ΔWᵀΔW) with backprop vs width (none for readout-only, whose hidden
layers stay at θ₀), and markdown tables. Repeating a
command reuses its finished runs under --out and only redraws.`,
  flags: FLAGS,
  check: unreadFlags,
  readsCheckpoints: true,
  runs: (f) =>
    chosen(f).flatMap((setting) =>
      setting.widths.flatMap((width) =>
        rulesOf(f).map((rule) => ({
          key: key(setting.id, width, rule),
          config: presetConfig(setting.preset, [
            ...setting.sets,
            ...setting.widthSets(width),
            ...RULES[rule],
            `trainer.lr=${setting.lr}`,
            `run.steps=${setting.steps}`,
            `run.evalEvery=${setting.steps}`,
            `run.seed=${f.seed}`,
            `backend="${f.backend}"`,
          ]),
        })),
      ),
    ),
  measure,
  report: (input) => {
    const f = input.flags;
    const runs = chosen(f).flatMap((setting) =>
      setting.widths.flatMap((width) =>
        rulesOf(f).map((rule) => ({ setting, width, rule, key: key(setting.id, width, rule) })),
      ),
    );
    return report(input, {
      runs,
      rules: rulesOf(f),
      scale: Object.fromEntries(Object.keys(SCALE_FLAGS).map((k) => [k, f[k as keyof F]])),
    });
  },
};

export const alignWidthSweep = namedExperiment(experiment);
