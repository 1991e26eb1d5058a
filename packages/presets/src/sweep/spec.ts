/**
 * A sweep: a base config plus axes, each a config path and the values it takes. Written in the
 * same JSON as a run config:
 *
 *   { "name": "parity-n", "base": {"extends": "sparse-parity", "learners": []},
 *     "axes": { "task.n": [20, 30, 40], "trainer": ["sgd", {"name": "adam", "lr": 0.001}], "seed": "0..15" } }
 *
 * An axis on `task`, `model` or `trainer` with a string value replaces that part by the named
 * part with its defaults (an object value replaces it whole); any other path sets one value, as
 * `--set` does (`model.widths.0` is one element of a list). `seed` is `run.seed`, and may be a
 * range "a..b" (inclusive). Axes that cannot change a job (`extends`, `description`,
 * `run.replicas`) are refused, and so is `run.seed` (name it `seed`).
 */
import { ConfigError, unknownKeyMessage } from '@learnability/core';
import type { ConfigIssue } from '@learnability/core';
import { expandExtends, isObject } from '../overrides.js';

export interface SweepAxis {
  /** Config path (`task.n`, `trainer.lr`), a part name (`task`, `model`, `trainer`), or `seed`. */
  path: string;
  values: unknown[];
}

export interface SweepSpec {
  name: string;
  /** The raw base config (a preset's, after `extends`). */
  base: Record<string, unknown>;
  /** In the order written: the expansion's order. */
  axes: SweepAxis[];
}

const NAME = /^[a-z0-9][a-z0-9._-]*$/i;

/** The most values one range axis may expand to. */
const MAX_RANGE = 100_001;

/**
 * Axes refused, each with why and the fix: the base preset is expanded before axes apply, no run
 * reads a description, and every job is one network (`expandSweep` sets run.replicas to 1 after
 * the axes), each of which would make every cell the same run; and `run.seed`, which is the
 * `seed` axis under another name that the tables would not take as seeds.
 */
const FIXED_AXES = new Map([
  [
    'extends',
    'the base preset is resolved before axes apply, so every cell would be the same run; write one spec per preset ("base": "noisy-gd-parity"), or vary parts with an axis on "task", "model" or "trainer"',
  ],
  [
    'description',
    `a description does not change a run, so every cell would be the same run; describe the sweep in the spec's "description"`,
  ],
  [
    'run.replicas',
    'each job is one network (run.replicas is 1 per job; jobs that differ only in seed are packed into replicas); add networks with a "seed" range like "0..7"',
  ],
  [
    'run.seed',
    'seeds are the "seed" axis, which the tables take medians and success rates over and which packs into replicas; name it "seed" (e.g. "seed": "0..7")',
  ],
]);

/** Why an axis on `path` cannot vary a job, or undefined. `extends.x` is refused as `extends` is. */
const fixedAxis = (path: string): string | undefined =>
  FIXED_AXES.get(path) ?? FIXED_AXES.get(path.split('.')[0] as string);

/** "0..15" → [0, …, 15]; null if `text` is not a range "a..b" with a ≤ b and at most MAX_RANGE values. */
function parseRange(text: string): number[] | null {
  const m = /^(\d+)\.\.(\d+)$/.exec(text.trim());
  if (!m) return null;
  const [a, b] = [Number(m[1]), Number(m[2])];
  if (b < a || b - a + 1 > MAX_RANGE) return null;
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

const SPEC_KEYS = ['name', 'base', 'axes', 'description'];

/** Validates a raw sweep spec; every problem at once, each with its path. */
export function parseSweepSpec(raw: unknown, fallbackName = 'sweep'): SweepSpec {
  const issues: ConfigIssue[] = [];
  if (!isObject(raw))
    throw new ConfigError([
      {
        path: '',
        message:
          'a sweep spec must be a JSON object like {"base": {"extends": "sparse-parity"}, "axes": {"seed": "0..7"}}',
      },
    ]);
  for (const key of Object.keys(raw)) {
    if (!SPEC_KEYS.includes(key)) issues.push({ path: key, message: unknownKeyMessage(key, SPEC_KEYS, 'key') });
  }
  const name = raw.name ?? fallbackName;
  if (typeof name !== 'string' || !NAME.test(name))
    issues.push({
      path: 'name',
      message: `expected a letter or digit, then letters, digits, ".", "_" or "-" (it names a folder), but got ${JSON.stringify(name)}`,
    });
  let base: Record<string, unknown> = {};
  try {
    const expanded = expandExtends(typeof raw.base === 'string' ? { extends: raw.base } : raw.base);
    if (isObject(expanded)) base = expanded;
    else
      issues.push({
        path: 'base',
        message: 'expected a preset name or a config object like {"extends": "sparse-parity"}',
      });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    // A string base is shorthand for {"extends": …}: its problem is the base's own.
    for (const i of e.issues)
      issues.push({ path: typeof raw.base === 'string' ? 'base' : `base.${i.path}`, message: i.message });
  }
  const axes: SweepAxis[] = [];
  if (!isObject(raw.axes) || Object.keys(raw.axes).length === 0) {
    issues.push({
      path: 'axes',
      message: `${isObject(raw.axes) ? 'empty: a sweep needs at least one axis' : 'expected an object of config paths to value lists'}, like {"task.n": [20, 30], "seed": "0..7"}`,
    });
  } else {
    for (const [path, v] of Object.entries(raw.axes)) {
      const values = typeof v === 'string' ? parseRange(v) : Array.isArray(v) ? v : null;
      // An axis of whole objects ("run": [{"seed": 3}]) reaches the keys inside them too.
      const inside = (values ?? []).flatMap((x) => (isObject(x) ? Object.keys(x).map((k) => `${path}.${k}`) : []));
      const fixed = [path, ...inside].map(fixedAxis).find((why) => why !== undefined);
      if (!/^[A-Za-z]\w*(\.\w+)*$/.test(path))
        issues.push({ path: `axes.${path}`, message: 'expected a config path like task.n' });
      else if (fixed) issues.push({ path: `axes.${path}`, message: fixed });
      else if (values === null || values.length === 0)
        issues.push({
          path: `axes.${path}`,
          message: `expected a non-empty list or a range "a..b" (a ≤ b, at most ${MAX_RANGE.toLocaleString('en-US')} values), but got ${JSON.stringify(v)}`,
        });
      else if (new Set(values.map((x) => JSON.stringify(x))).size !== values.length)
        issues.push({ path: `axes.${path}`, message: 'values repeat' });
      else axes.push({ path, values });
    }
  }
  if (issues.length) throw new ConfigError(issues);
  return { name: name as string, base, axes };
}
