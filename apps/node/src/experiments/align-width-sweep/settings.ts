/**
 * What `learnability run align-width-sweep` trains: three settings (MNIST, MNIST with a small
 * training set, the recurrent add task), each at several widths, with every rule from the same
 * θ₀ and the same data (same seed), so runs differ only in the learning rule.
 */

/** A rule as the sweep names it, and the trainer overrides that select it. */
export const RULES = {
  backprop: ['trainer.name="backprop"'],
  'align-ada': ['trainer.name="align-ada"', 'trainer.gate="current"'],
  'align-ada-frozen': ['trainer.name="align-ada"', 'trainer.gate="frozen"'],
  'align-zero': ['trainer.name="align-zero"'],
  fa: ['trainer.name="fa"'],
  dfa: ['trainer.name="dfa"'],
} as const satisfies Record<string, readonly string[]>;

export type RuleId = keyof typeof RULES;
export const DEFAULT_RULES: readonly RuleId[] = ['backprop', 'align-ada', 'align-zero', 'fa', 'dfa'];

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

export interface SweepScale {
  mnistWidths: number[];
  smallWidths: number[];
  addWidths: number[];
  mnistSteps: number;
  addSteps: number;
  /** Training-set size of the small-data MNIST run. */
  smallData: number;
}

/** The scale that fits in about 20 minutes on a 2-core machine (wasm). */
export const DEFAULT_SCALE: SweepScale = {
  mnistWidths: [32, 64, 128, 256, 512, 1024],
  smallWidths: [32, 128, 512],
  addWidths: [16, 32, 64],
  mnistSteps: 500,
  addSteps: 60,
  smallData: 500,
};

export function settings(s: SweepScale): Setting[] {
  const mlp = (w: number) => [`model.widths=[${w},${w}]`];
  return [
    {
      id: 'mnist',
      title: 'MNIST, 8,000 training digits',
      preset: 'align-mnist',
      widths: s.mnistWidths,
      steps: s.mnistSteps,
      lr: 4,
      metric: 'accuracy',
      widthSets: mlp,
      sets: ['run.batchSize=64'],
    },
    {
      id: 'mnist-small',
      title: `MNIST, ${s.smallData} training digits`,
      preset: 'align-mnist',
      widths: s.smallWidths,
      steps: s.mnistSteps,
      lr: 4,
      metric: 'accuracy',
      widthSets: mlp,
      sets: [`run.trainSetSize=${s.smallData}`, `run.batchSize=${Math.min(50, s.smallData)}`],
    },
    {
      id: 'add',
      title: 'recurrent add task, T = 100, 300 training sequences',
      preset: 'align-add',
      widths: s.addWidths,
      steps: s.addSteps,
      lr: 0.5,
      metric: 'mse',
      widthSets: (w) => [`model.width=${w}`],
      sets: [],
    },
  ];
}
