import { applyOverrides, PRESETS, validateConfig } from '@learnability/presets';
import { describe, expect, it } from 'vitest';
import { configPathLines } from './config-paths.js';

describe('a preset’s config paths (learnability presets <name>)', () => {
  it('lists every option of every part with the preset’s value, and each line is a --set that changes nothing', () => {
    for (const preset of PRESETS) {
      const lines = configPathLines(preset);
      const resolved = validateConfig(preset.config);
      const sets = lines
        .map((l) => /^ {2}([\w.]+) = (\S+)/.exec(l))
        .filter((m): m is RegExpExecArray => m !== null && !m[1]?.endsWith('.name'))
        .map((m) => `${m[1]}=${m[2]}`);
      for (const part of ['task', 'model', 'trainer'] as const) {
        const options = Object.keys(resolved[part] ?? {}).filter((k) => k !== 'name');
        for (const k of options) expect(sets.some((s) => s.startsWith(`${part}.${k}=`))).toBe(true);
      }
      expect(sets.filter((s) => s.startsWith('run.'))).toHaveLength(Object.keys(resolved.run).length);
      expect(validateConfig(applyOverrides(preset.config, sets))).toEqual(resolved);
    }
  });

  it('marks a value that differs from the default, with the default', () => {
    const preset = PRESETS.find((p) => p.name === 'looped-linear-regression-small');
    if (!preset) throw new Error('no preset looped-linear-regression-small');
    const lines = configPathLines(preset);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^ {2}model\.embedSize = 32 +\(default 256\) embedding width D; default: Yang et al. 2023 \(and Garg et al. 2022\)$/,
      ),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}run\.seed = 0 +replica r uses seed \+ r$/));
  });

  it('gives the reason for a default where its schema has one', () => {
    const preset = PRESETS.find((p) => p.name === 'looped-linear-regression-small');
    if (!preset) throw new Error('no preset looped-linear-regression-small');
    expect(configPathLines(preset)).toContainEqual(
      expect.stringMatching(
        /^ {2}run\.testSize = \d+ .*; default: a 99 % threshold is then decided with a standard error/,
      ),
    );
  });
});
