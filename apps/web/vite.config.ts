/**
 * The lab's Vite config. The workspace packages are bundled from their TypeScript sources (the
 * `source` export condition, as in tests), Node-only code paths stay out of the bundle, and
 * tfjs-backend-wasm's `.wasm` files are served at `tfjs-wasm/` beside index.html.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import type { Plugin, UserConfig } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** tfjs-backend-wasm's binaries: plain, SIMD, and SIMD with threads. */
export const WASM_FILES = [
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm',
];
/** Where the page finds them, relative to index.html (the worker's `wasmPaths`). */
export const WASM_DIR = 'tfjs-wasm';
const wasmSource = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');

/**
 * Cross-origin isolation (COOP/COEP): SharedArrayBuffer, hence wasm threads. A host that cannot
 * send these runs wasm on one thread (the page says so).
 */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** Serves the `.wasm` files in dev and emits them into the build. */
function tfjsWasmFiles(): Plugin {
  return {
    name: 'learnability:tfjs-wasm-files',
    configureServer(server) {
      server.middlewares.use(`/${WASM_DIR}/`, (req, res, next) => {
        const name = (req.url ?? '').replace(/^\//, '').replace(/\?.*$/, '');
        if (!WASM_FILES.includes(name)) return next();
        res.setHeader('Content-Type', 'application/wasm');
        createReadStream(join(wasmSource, name)).pipe(res);
      });
    },
    generateBundle() {
      for (const name of WASM_FILES)
        this.emitFile({ type: 'asset', fileName: `${WASM_DIR}/${name}`, source: readFileSync(join(wasmSource, name)) });
    },
  };
}

/** Versions recorded in each run's start line (the CLI records the same packages). */
function versions(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of [
    '@learnability/core',
    '@learnability/experiment',
    '@learnability/presets',
    '@learnability/backends',
    '@tensorflow/tfjs-core',
  ]) {
    out[name] = (
      JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }
    ).version;
  }
  return out;
}

const UNAVAILABLE = '\0learnability:browser-unavailable:';

/**
 * Node built-ins and Dawn's Node bindings (`webgpu`) are never bundled: the packages import them
 * only on their Node paths, dynamically, behind a runtime check. Each becomes a module that
 * throws when loaded, so such an `await import()` rejects in the browser (in dev too, where Vite
 * would otherwise hand over an empty stand-in module) and the caller takes its non-Node path.
 */
function nodeOnlyModules(): Plugin {
  return {
    name: 'learnability:node-only-modules',
    enforce: 'pre',
    resolveId(id) {
      return id === 'webgpu' || id.startsWith('node:') ? `${UNAVAILABLE}${id}` : null;
    },
    load(id) {
      if (!id.startsWith(UNAVAILABLE)) return null;
      const name = id.slice(UNAVAILABLE.length);
      return `throw new Error(${JSON.stringify(`"${name}" is a Node module and is not available in a browser`)});\nexport {};\n`;
    },
  };
}

export const labConfig: UserConfig = {
  root: here,
  base: './',
  resolve: { conditions: ['source', 'browser', 'module', 'import', 'default'] },
  define: { __LAB_VERSIONS__: JSON.stringify(versions()) },
  plugins: [nodeOnlyModules(), tfjsWasmFiles()],
  worker: { format: 'es', plugins: () => [nodeOnlyModules()] },
  // Not minified: tfjs-backend-wasm starts its pthreads from the source text of a bundled function
  // (`factory.toString()`), which breaks once a minifier renames the names it closes over.
  // bundlerTimings off: Vite's worker plugin runs nested builds whose time rolldown would report as slow plugins.
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    minify: false,
    chunkSizeWarningLimit: 4096,
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  server: { headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
};

export default defineConfig(labConfig);
