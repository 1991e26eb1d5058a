/**
 * `tf.setBackend` that never falls back silently.
 */
import * as tf from '@tensorflow/tfjs-core';
import { BackendUnavailableError } from '@learnability/core';
import type { BackendName } from './types.js';

/**
 * Makes `name` the active tfjs backend (initialising it on first use) or throws
 * BackendUnavailableError with `fix`.
 */
export async function activate(name: BackendName, fix: string): Promise<void> {
  if (tf.findBackendFactory(name) == null) {
    throw new BackendUnavailableError(name, `no tfjs backend named "${name}" is registered`, fix);
  }
  const ok = await tf.setBackend(name);
  if (!ok) {
    throw new BackendUnavailableError(
      name,
      `tf.setBackend('${name}') could not initialise it (tfjs hides its error when quiet; rerun with quiet: false to see it)`,
      fix,
    );
  }
  const active = tf.getBackend();
  if (active !== name) {
    throw new BackendUnavailableError(name, `tfjs is running "${active}" instead`, fix);
  }
}
