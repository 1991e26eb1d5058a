/**
 * What `learnability run align-width-sweep` trains: three settings (MNIST, MNIST with a small
 * training set, the recurrent add task), each at several widths, with every rule from the same
 * θ₀ and the same data (same seed), so runs differ only in the learning rule.
 */
import type { FlagSpecs, FlagValues } from '../../schema-flags.js';

/** A rule as the sweep names it, and the trainer overrides that select it. */
export const RULES = {
  backprop: ['trainer.name="backprop"'],
  'align-ada': ['trainer.name="align-ada"', 'trainer.gate="current"'],
  'align-ada-frozen': ['trainer.name="align-ada"', 'trainer.gate="frozen"'],
  'align-zero': ['trainer.name="align-zero"'],
  fa: ['trainer.name="fa"'],
  dfa: ['trainer.name="dfa"'],
  'readout-only': ['trainer.name="readout-only"'],
} as const satisfies Record<string, readonly string[]>;

export type RuleId = keyof typeof RULES;
export const DEFAULT_RULES: readonly RuleId[] = ['backprop', 'align-ada', 'align-zero', 'fa', 'dfa', 'readout-only'];

export const SETTING_IDS = ['mnist', 'mnist-small', 'add'] as const;
export type SettingId = (typeof SETTING_IDS)[number];

export interface Setting {
  id: SettingId;
  title: string;
  preset: string;
  widths: number[];
  steps: number;
  lr: number;
  /** The test metric the figures plot: argmax accuracy (MNIST) or MSE (add). */
  metric: 'accuracy' | 'mse';
  /** Overrides that set the width w. */
  widthSets(w: number): string[];
  /** Further overrides of the preset. */
  sets: string[];
}

/** The sweep's scale, as flags; the defaults fit in about 20 minutes on a 2-core machine (wasm). */
export const SCALE_FLAGS = {
  widths: { type: 'int[]', default: [32, 64, 128, 256, 512, 1024], min: 1, doc: 'MNIST widths (two hidden layers)' },
  'small-widths': { type: 'int[]', default: [32, 128, 512], min: 1, doc: 'small-data MNIST widths' },
  'add-widths': { type: 'int[]', default: [16, 32, 64], min: 1, doc: 'RNN widths on the add task' },
  'mnist-steps': { type: 'int', default: 500, min: 1, doc: 'SGD steps per MNIST run (batch 64; small data: 50)' },
  'add-steps': { type: 'int', default: 60, min: 1, doc: 'SGD steps per add run (batch 50 of 300 sequences)' },
  'small-data': { type: 'int', default: 500, min: 1, doc: 'training digits of the small-data run' },
} as const satisfies FlagSpecs;

export type SweepScale = FlagValues<typeof SCALE_FLAGS>;

export function settings(s: SweepScale): Setting[] {
  const mlp = (w: number) => [`model.widths=[${w},${w}]`];
  return [
    {
      id: 'mnist',
      title: 'MNIST, 8,000 training digits',
      preset: 'align-mnist',
      widths: s.widths,
      steps: s['mnist-steps'],
      lr: 4,
      metric: 'accuracy',
      widthSets: mlp,
      sets: ['run.batchSize=64'],
    },
    {
      id: 'mnist-small',
      title: `MNIST, ${s['small-data']} training digits`,
      preset: 'align-mnist',
      widths: s['small-widths'],
      steps: s['mnist-steps'],
      lr: 4,
      metric: 'accuracy',
      widthSets: mlp,
      sets: [`run.trainSetSize=${s['small-data']}`, `run.batchSize=${Math.min(50, s['small-data'])}`],
    },
    {
      id: 'add',
      title: 'recurrent add task, T = 100, 300 training sequences',
      preset: 'align-add',
      widths: s['add-widths'],
      steps: s['add-steps'],
      lr: 0.5,
      metric: 'mse',
      widthSets: (w) => [`model.width=${w}`],
      sets: [],
    },
  ];
}
