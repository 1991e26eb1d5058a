/**
 * Run one vitest `describe` block per available backend.
 *
 * vitest collects `describe` blocks synchronously, so which backends exist is settled when this
 * module loads (top-level await), and test files can simply write
 * `describeEachBackend('matMul', (backend) => { it(...) })`.
 */
import { beforeAll, describe, it } from 'vitest';
import { LearnabilityError } from '@learnability/core';
import { listBackends } from '../list-backends.js';
import { setupTestBackend } from './setup-test-backend.js';
import type { BackendName } from '../types.js';
import { planBackends } from './backend-plan.js';
import type { BackendPlanEntry, BackendPlanEnv } from './backend-plan.js';

function testEnv(): BackendPlanEnv {
  if (typeof process === 'undefined') return {};
  return {
    LEARNABILITY_TEST_BACKENDS: process.env['LEARNABILITY_TEST_BACKENDS'],
    LEARNABILITY_REQUIRE_WEBGPU: process.env['LEARNABILITY_REQUIRE_WEBGPU'],
  };
}

const plan = planBackends(await listBackends(), testEnv());

/** Backends whose tests run here (available, and allowed by LEARNABILITY_TEST_BACKENDS). */
export function availableBackends(): Promise<BackendName[]> {
  return Promise.resolve(plan.filter((e) => e.action === 'run').map((e) => e.name));
}

/**
 * One `describe(`${title} [backend]`)` for a plan entry: run, skipped with its reason, or a failing
 * test where the backend was required; `setup` runs in its `beforeAll`.
 */
function describeEntry(
  entry: BackendPlanEntry,
  title: string,
  fn: (backend: BackendName) => void,
  setup: (backend: BackendName) => Promise<unknown>,
): void {
  const name = `${title} [${entry.name}]`;
  if (entry.action === 'run') {
    describe(name, () => {
      beforeAll(async () => {
        await setup(entry.name);
      });
      fn(entry.name);
    });
  } else if (entry.action === 'skip') {
    describe.skip(`${name} (unavailable: ${entry.reason})`, () => fn(entry.name));
  } else {
    describe(name, () => {
      it('has the backend available', () => {
        throw new LearnabilityError(`${entry.name} is required here but unavailable: ${entry.reason}`);
      });
    });
  }
}

/**
 * `describe(`${title} [backend]`)` for every backend: with a `beforeAll` that calls
 * `setupTestBackend(backend)` where it runs (wasm on one thread); skipped (reason in the title) where it is unavailable;
 * a failing test where it was required (LEARNABILITY_TEST_BACKENDS, LEARNABILITY_REQUIRE_WEBGPU).
 */
export function describeEachBackend(title: string, fn: (backend: BackendName) => void): void {
  for (const entry of plan) describeEntry(entry, title, fn, (backend) => setupTestBackend(backend));
}

/**
 * `describeEachBackend` for some backends only (kernels that exist on wasm and webgpu alone), with no
 * setup of its own: `fn` sets its backend up (its kernels, its threads). A backend that is
 * unavailable is skipped, or fails where it was required, as there; one that
 * LEARNABILITY_TEST_BACKENDS leaves out is skipped.
 */
export function describeOnBackends(
  backends: readonly BackendName[],
  title: string,
  fn: (backend: BackendName) => void,
): void {
  for (const name of backends) {
    const entry: BackendPlanEntry = plan.find((e) => e.name === name) ?? {
      name,
      action: 'skip',
      reason: 'not in LEARNABILITY_TEST_BACKENDS',
    };
    describeEntry(entry, title, fn, async () => undefined);
  }
}
