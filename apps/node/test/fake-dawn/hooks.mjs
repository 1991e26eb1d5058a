// Module resolve hook: the bare specifier `webgpu` resolves to the fake Dawn beside this file.
const FAKE = new URL('./dawn.mjs', import.meta.url).href;

export async function resolve(specifier, context, next) {
  return specifier === 'webgpu' ? { url: FAKE, shortCircuit: true } : next(specifier, context);
}
