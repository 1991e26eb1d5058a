import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../test/cli.js';

/**
 * Test MSE of always predicting the mean 0.625 over T = 100 steps: y's variance, (0.5² + 0.25²) ·
 * Var(x) = 0.3125 · ¼ ≈ 0.078 from t = 5 on, less before (fewer inputs behind the target): ≈ 0.077.
 */
const MEAN_PREDICTOR_MSE = 0.077;

describe('the align-add preset', () => {
  it("learns the add task with its own settings: 50 of its 200 epochs take test MSE below a quarter of the mean predictor's", () => {
    const out = mkdtempSync(join(tmpdir(), 'learnability-align-add-'));
    // At lr 1 (the preset before) this run's loss rose to 137 by step 120 and it diverged at step 840.
    const r = cli(['run', 'align-add', '--steps', '300', '--threads', '1', '--json', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { status: string; replicas: { testError: number }[] };
    expect(summary.status).toBe('completed');
    expect(summary.replicas[0]?.testError).toBeLessThan(MEAN_PREDICTOR_MSE / 4);
  });
});
