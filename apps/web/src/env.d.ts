/** Package versions for the run record, read from package.json files at build time (vite.config.ts). */
declare const __LAB_VERSIONS__: Record<string, string>;
