import { Worker } from 'node:worker_threads';

/**
 * A worker thread running the module `name` beside `base` (an `import.meta.url`). From the
 * compiled .js it loads `<name>.js` directly; from the .ts sources (`pnpm learnability` runs
 * them through tsx) it first registers tsx in the thread, since module hooks given with
 * --import do not reach worker threads on Node 20.
 */
export function startModuleWorker(base: string, name: string): Worker {
  if (!base.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, base));
  const entry = new URL(`./${name}.ts`, base).href;
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(bootstrap, { eval: true });
}
