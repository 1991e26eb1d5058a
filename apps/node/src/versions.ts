import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';

const require = createRequire(import.meta.url);

/** Versions of the packages a run depends on, for the run record. */
export function packageVersions(): Record<string, string> {
  const versions: Record<string, string> = { node: process.versions.node, 'tfjs-core': tf.version_core };
  for (const name of [
    '@learnability/core',
    '@learnability/experiment',
    '@learnability/presets',
    '@learnability/backends',
  ]) {
    try {
      versions[name] = (require(`${name}/package.json`) as { version: string }).version;
    } catch {
      // Not resolvable from here (e.g. bundled); leave it out rather than guess.
    }
  }
  return versions;
}

/** `learnability 0.1.0 (tfjs-core 4.22.0, node 20.20.0)`: the CLI's version and what it runs on. */
export function versionLine(): string {
  const cli = (require('../package.json') as { version: string }).version;
  return `learnability ${cli} (tfjs-core ${tf.version_core}, node ${process.versions.node})`;
}
