import { describe, expect, it } from 'vitest';
import { metricTable } from './report.js';
import type { SweepRow } from './report.js';

const row = (rule: string, testAccuracy: number | null, status = 'completed'): SweepRow => ({
  setting: 'mnist',
  width: 32,
  rule,
  testAccuracy,
  testMse: null,
  finalLoss: 0.1,
  alignment: rule === 'backprop' ? null : 0.5,
  alignmentByLayer: {},
  status,
  wallSeconds: 1,
  stepsPerSecond: 10,
});

describe('metricTable', () => {
  it("shows the setting's own metric, whatever a diverged run lacks", () => {
    // The diverged FA run has no accuracy: read off the rows, it turned every MNIST cell into an MSE, "—".
    const rows = [row('backprop', 0.363), row('align-ada', 0.539), row('fa', null, 'diverged')];
    expect(metricTable(rows, 'mnist', ['backprop', 'align-ada', 'fa'], 'accuracy').split('\n')[2]).toBe(
      '| 32 | 0.363 | 0.539 (0.5) | diverged |',
    );
  });
});
