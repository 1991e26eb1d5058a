import { applyOverrides, getPreset, validateConfig } from '@learnability/presets';
import type { ResolvedConfig } from '@learnability/presets';

/**
 * A sparse-parity run of a second or less on cpu (n = 8, 16 hidden units, 40 steps, evaluated
 * every 20, no stream learners), with `extra` overrides applied last.
 */
export const tinyParityConfig = (extra: readonly string[] = []): ResolvedConfig =>
  validateConfig(
    applyOverrides(structuredClone(getPreset('sparse-parity').config), [
      'backend="cpu"',
      'task.n=8',
      'model.widths=[16]',
      'learners=[]',
      'run.replicas=1',
      'run.steps=40',
      'run.evalEvery=20',
      'run.testSize=100',
      ...extra,
    ]),
  );
