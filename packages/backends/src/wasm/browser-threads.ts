/**
 * More than half the cores for wasm threads in a browser.
 *
 * tfjs caps XNNPACK threads at `emscripten_num_logical_cores() / 2`, which in a browser is
 * `navigator.hardwareConcurrency / 2`, read once when the module starts. While the backend
 * initialises, an own `hardwareConcurrency` property on `navigator` (shadowing the prototype's
 * getter) reports at least 2 × threads; it is deleted afterwards. Threads need a
 * cross-origin-isolated page (COOP/COEP headers); without one tfjs runs single-threaded anyway.
 */
export async function withBrowserCores<T>(threads: number, init: () => Promise<T>): Promise<T> {
  const nav: unknown = Reflect.get(globalThis, 'navigator');
  if (typeof nav !== 'object' || nav === null || Object.hasOwn(nav, 'hardwareConcurrency')) {
    return init();
  }
  const real: unknown = Reflect.get(nav, 'hardwareConcurrency');
  const cores = Math.max(2 * threads, typeof real === 'number' ? real : 1);
  if (!Reflect.defineProperty(nav, 'hardwareConcurrency', { value: cores, configurable: true })) return init();
  try {
    return await init();
  } finally {
    Reflect.deleteProperty(nav, 'hardwareConcurrency');
  }
}
