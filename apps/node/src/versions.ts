import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';

const require = createRequire(import.meta.url);

/** `name`'s version as resolved from `from` (a require), or undefined when it does not resolve (e.g. bundled). */
function versionOf(from: NodeJS.Require, name: string): string | undefined {
  try {
    return (from(`${name}/package.json`) as { version: string }).version;
  } catch {
    return undefined;
  }
}

/** A require from inside `name`'s package: its own dependencies resolve there under pnpm. */
const requireFrom = (name: string): NodeJS.Require | undefined => {
  try {
    return createRequire(require.resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
};

let commit: string | null | undefined;

/** The git commit this CLI runs from, "+dirty" when tracked files differ from it; null outside a checkout. */
function gitCommit(): string | null {
  if (commit !== undefined) return commit;
  const git = (args: string[]) =>
    spawnSync('git', args, { cwd: dirname(fileURLToPath(import.meta.url)), encoding: 'utf8', timeout: 5000 });
  const head = git(['rev-parse', 'HEAD']);
  if (head.status !== 0) return (commit = null);
  const dirty = git(['status', '--porcelain', '--untracked-files=no']).stdout.trim() !== '';
  commit = `${head.stdout.trim()}${dirty ? '+dirty' : ''}`;
  return commit;
}

/**
 * Versions of what a run depends on, for the run record: Node, the CLI and its git commit (in a
 * checkout), TF.js's core and backends, and every @learnability package of the parts (presets
 * depends on them all). Whatever does not resolve is left out rather than guessed.
 */
export function packageVersions(): Record<string, string> {
  const versions: Record<string, string> = { node: process.versions.node, 'tfjs-core': tf.version_core };
  const add = (from: NodeJS.Require | undefined, name: string) => {
    const v = from && versionOf(from, name);
    if (v !== undefined) versions[name] = v;
  };
  versions['@learnability/cli'] = (require('../package.json') as { version: string }).version;
  const sha = gitCommit();
  if (sha) versions.commit = sha;
  const backends = requireFrom('@learnability/backends');
  for (const name of ['cpu', 'wasm', 'webgpu']) add(backends, `@tensorflow/tfjs-backend-${name}`);
  for (const name of ['@learnability/experiment', '@learnability/backends', '@learnability/presets'])
    add(require, name);
  const presets = requireFrom('@learnability/presets');
  const parts = presets && (presets('./package.json') as { dependencies?: Record<string, string> }).dependencies;
  for (const name of Object.keys(parts ?? {}).filter((n) => n.startsWith('@learnability/'))) add(presets, name);
  return versions;
}

/** `learnability 0.1.0 (tfjs-core 4.22.0, node 20.20.0)`: the CLI's version and what it runs on. */
export function versionLine(): string {
  const cli = (require('../package.json') as { version: string }).version;
  return `learnability ${cli} (tfjs-core ${tf.version_core}, node ${process.versions.node})`;
}
