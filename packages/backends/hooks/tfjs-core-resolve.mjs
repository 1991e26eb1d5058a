// Node module-resolution hook, registered by @learnability/backends (src/gradients/load-gradients.ts)
// with `module.register()` before it imports '@tensorflow/tfjs-core/dist/register_all_gradients.js'.
//
// Why: tfjs-core 4.x ships its ESM build (dist/**/*.js, where the gradients live) with
// extensionless relative imports (`import ... from './gradients/Abs_grad'`) that bundlers and
// vitest accept but plain Node ESM rejects with ERR_MODULE_NOT_FOUND. For a relative specifier
// without `.js` whose importer is inside tfjs-core's dist/, try `<specifier>.js`, then
// `<specifier>/index.js`. Everything else resolves as usual. The files are marked `module`
// because tfjs-core's package.json has no "type": "module" (Node < 20.19 does not sniff syntax).

const TFJS_CORE_DIST = '/@tensorflow/tfjs-core/dist/';
const ENTRY = '@tensorflow/tfjs-core/dist/register_all_gradients.js';

/** True for './x' and '../x' specifiers that name no extension. */
function isExtensionlessRelative(specifier) {
  return (specifier.startsWith('./') || specifier.startsWith('../')) && !/\.[cm]?js$/.test(specifier);
}

export async function resolve(specifier, context, nextResolve) {
  const parent = context.parentURL;
  if (specifier === ENTRY) {
    return { ...(await nextResolve(specifier, context)), format: 'module' };
  }
  if (parent?.includes(TFJS_CORE_DIST) && isExtensionlessRelative(specifier)) {
    for (const candidate of [`${specifier}.js`, `${specifier}/index.js`]) {
      try {
        return { ...(await nextResolve(candidate, context)), format: 'module' };
      } catch {
        // not this candidate: try the next one, then fall through to the default error
      }
    }
  }
  return nextResolve(specifier, context);
}
