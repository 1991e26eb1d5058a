/**
 * Where a named experiment writes. Everything goes under --out (default runs/…) unless --docs asks
 * for the committed places (docs/figures, docs/reproductions), which a plain run must not overwrite.
 */
export const OUTPUT_FLAGS = {
  docs: { type: 'boolean', default: false },
  figures: { type: 'string' },
} as const;

export const OUTPUT_HELP = `  --docs             write figures and tables into docs/ (docs/figures, docs/reproductions),
                     replacing the committed ones; without it nothing under docs/ is touched
  --figures dir      SVG and PNG figures (default: --out, or docs/figures with --docs)`;

/** The figures folder: --figures, else docs/figures with --docs, else `fallback` (under --out). */
export function figuresDir(values: { docs: boolean; figures?: string | undefined }, fallback: string): string {
  return values.figures ?? (values.docs ? 'docs/figures' : fallback);
}
