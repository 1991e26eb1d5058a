/**
 * Which backends a test run covers, decided from `listBackends()` and two environment variables:
 *
 * - `LEARNABILITY_TEST_BACKENDS=cpu,wasm` restricts the run to those backends; one listed there
 *   but unavailable fails (it was asked for by name).
 * - `LEARNABILITY_REQUIRE_WEBGPU=1` makes a missing webgpu a failure instead of a skip (CI).
 *
 * Otherwise every backend runs where available and is skipped, with its reason, where not.
 */
import { BACKEND_NAMES } from '../types.js';
import type { BackendName, BackendStatus } from '../types.js';

/** What happens to one backend's tests. */
export type BackendPlanEntry =
  | { name: BackendName; action: 'run' }
  | { name: BackendName; action: 'skip' | 'fail'; reason: string };

/** The environment variables read, as plain strings. */
export interface BackendPlanEnv {
  LEARNABILITY_TEST_BACKENDS?: string | undefined;
  LEARNABILITY_REQUIRE_WEBGPU?: string | undefined;
}

function parseList(list: string): BackendName[] {
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const unknown = names.filter((n) => !(BACKEND_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw new Error(
      `LEARNABILITY_TEST_BACKENDS: expected names from ${BACKEND_NAMES.join(', ')}, got ${unknown.join(', ')}`,
    );
  }
  return BACKEND_NAMES.filter((n) => names.includes(n));
}

/** One entry per backend this run considers, in `BACKEND_NAMES` order. */
export function planBackends(statuses: readonly BackendStatus[], env: BackendPlanEnv): BackendPlanEntry[] {
  const listed = env.LEARNABILITY_TEST_BACKENDS?.trim() ? parseList(env.LEARNABILITY_TEST_BACKENDS) : undefined;
  const requireWebGpu = env.LEARNABILITY_REQUIRE_WEBGPU === '1' || env.LEARNABILITY_REQUIRE_WEBGPU === 'true';
  return (listed ?? BACKEND_NAMES).map((name): BackendPlanEntry => {
    const status = statuses.find((s) => s.name === name);
    if (status?.available === true) return { name, action: 'run' };
    const reason = status?.reason ?? 'not reported by listBackends()';
    if (listed !== undefined)
      return { name, action: 'fail', reason: `${reason} (listed in LEARNABILITY_TEST_BACKENDS)` };
    if (name === 'webgpu' && requireWebGpu)
      return { name, action: 'fail', reason: `${reason} (LEARNABILITY_REQUIRE_WEBGPU=1)` };
    return { name, action: 'skip', reason };
  });
}
