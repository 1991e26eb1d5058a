/**
 * Named experiments: multi-run reproductions that `learnability run <name>` starts (checked
 * before presets); add one line per experiment below. Each is data (`namedExperiment` in
 * data-experiment.ts): a flag schema, run configs for the sweep pool, a measurement in this
 * process after the runs, and a pure report.
 */
import type { Io } from '../io.js';
import { alignWidthSweep } from './align-width-sweep.js';
import { inalLearnability } from './inal-learnability.js';
import { loopedVsStandard } from './looped-vs-standard.js';
import { rcnnVsElimination } from './rcnn-vs-elimination.js';

export interface NamedExperiment {
  name: string;
  /** One line for listings. */
  summary: string;
  /** `learnability run <name> --help`. */
  help: string;
  /** Runs with the arguments after the name; returns the exit code. */
  run(argv: string[], io: Io): Promise<number>;
}

export const EXPERIMENTS: Readonly<Record<string, NamedExperiment>> = {
  [loopedVsStandard.name]: loopedVsStandard,
  [alignWidthSweep.name]: alignWidthSweep,
  [inalLearnability.name]: inalLearnability,
  [rcnnVsElimination.name]: rcnnVsElimination,
};
