/**
 * API reports: one `api/<package>.api.md` per published package, listing every name each of its
 * published `exports` entries makes public, with its signature, read from the TypeScript sources (the
 * `source` condition) through the compiler API — no build needed.
 *
 *   pnpm api:update   rewrite the reports
 *   pnpm api:check    fail when a report is out of date, or when a report changed since the base
 *                     commit (`LEARNABILITY_API_BASE`, default the merge base with `main`) and no
 *                     changeset added since then names its package, or when an entry exports
 *                     more than 25 names and its package README does not say why
 *
 * The check also runs inside `pnpm test` (tests/src/api-report.test.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export interface PublicPackage {
  name: string;
  /** Directory, absolute. */
  dir: string;
  /** Entry subpath ('.', './node', …) → source file, absolute. `./package.json` and non-TS entries are left out. */
  entries: Record<string, string>;
}

interface PackageJson {
  name: string;
  private?: boolean;
  exports?: Record<string, string | Record<string, string>>;
  publishConfig?: { exports?: Record<string, unknown> };
}

/** Every package under `root/packages` that is not private, with its TypeScript entry points. */
export function publicPackages(root: string): PublicPackage[] {
  const out: PublicPackage[] = [];
  const walk = (dir: string, depth: number): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (!e.isDirectory() || e.name === 'node_modules') continue;
      const sub = join(dir, e.name);
      const file = join(sub, 'package.json');
      if (!existsSync(file)) {
        if (depth > 0) walk(sub, depth - 1);
        continue;
      }
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
      if (pkg.private) continue;
      const entries: Record<string, string> = {};
      // What a user can import: the published exports (publishConfig.exports when pnpm overrides them).
      const published = new Set(Object.keys(pkg.publishConfig?.exports ?? pkg.exports ?? {}));
      for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
        if (!published.has(subpath)) continue;
        const source = typeof target === 'string' ? target : target['source'];
        if (source?.endsWith('.ts')) entries[subpath] = resolve(sub, source);
      }
      out.push({ name: pkg.name, dir: sub, entries });
    }
  };
  walk(join(root, 'packages'), 1);
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** `@learnability/parity` → `parity` (the report's file stem). */
export const reportStem = (name: string): string => name.replace(/^@[^/]+\//, '');

const FLAGS =
  ts.TypeFormatFlags.NoTruncation |
  ts.TypeFormatFlags.UseSingleQuotesForStringLiteralType |
  ts.TypeFormatFlags.WriteArrowStyleSignature;

/** One line (or a short block) per exported name: its kind and its type, as the checker prints them. */
function describe(checker: ts.TypeChecker, exported: ts.Symbol): string {
  const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
  const name = exported.getName();
  const decl = symbol.declarations?.[0];
  if (!decl) return `unknown ${name}`;
  const lines: string[] = [];
  if (symbol.flags & ts.SymbolFlags.Function) {
    const type = checker.getTypeOfSymbolAtLocation(symbol, decl);
    for (const sig of type.getCallSignatures())
      lines.push(`function ${name}${checker.signatureToString(sig, decl, FLAGS)}`);
  } else if (symbol.flags & ts.SymbolFlags.Class) {
    lines.push(`class ${name}`);
    const type = checker.getDeclaredTypeOfSymbol(symbol);
    for (const sig of checker.getTypeOfSymbolAtLocation(symbol, decl).getConstructSignatures())
      lines.push(`  constructor${checker.signatureToString(sig, decl, FLAGS)}`);
    lines.push(...members(checker, type, decl));
  } else if (symbol.flags & ts.SymbolFlags.Interface) {
    const type = checker.getDeclaredTypeOfSymbol(symbol);
    const params = typeParameters(checker, type);
    const bases = type.isClassOrInterface()
      ? checker.getBaseTypes(type).map((b) => checker.typeToString(b, decl, FLAGS))
      : [];
    lines.push(`interface ${name}${params}${bases.length ? ` extends ${bases.join(', ')}` : ''}`);
    lines.push(...members(checker, type, decl));
    for (const sig of type.getCallSignatures()) lines.push(`  ${checker.signatureToString(sig, decl, FLAGS)}`);
  } else if (symbol.flags & ts.SymbolFlags.TypeAlias) {
    const aliasDecl = symbol.declarations?.find(ts.isTypeAliasDeclaration);
    const params = aliasDecl?.typeParameters ? `<${aliasDecl.typeParameters.map((p) => p.getText()).join(', ')}>` : '';
    const type = aliasDecl ? checker.getTypeFromTypeNode(aliasDecl.type) : checker.getDeclaredTypeOfSymbol(symbol);
    lines.push(`type ${name}${params} = ${checker.typeToString(type, decl, FLAGS | ts.TypeFormatFlags.InTypeAlias)}`);
  } else if (symbol.flags & ts.SymbolFlags.Enum) {
    lines.push(`enum ${name}`);
  } else if (symbol.flags & ts.SymbolFlags.Variable) {
    lines.push(`const ${name}: ${checker.typeToString(checker.getTypeOfSymbolAtLocation(symbol, decl), decl, FLAGS)}`);
  } else if (symbol.flags & ts.SymbolFlags.Namespace) {
    lines.push(`namespace ${name}`);
  } else {
    lines.push(`unknown ${name}`);
  }
  // A type the declaring file does not import prints as import("/abs/path/file").Name: keep the
  // name, so the report is the same in every checkout.
  return lines.join('\n').replace(/import\("[^"]*"\)\./g, '');
}

function typeParameters(checker: ts.TypeChecker, type: ts.Type): string {
  const params = type.isClassOrInterface() ? type.typeParameters : undefined;
  return params?.length ? `<${params.map((p) => checker.typeToString(p)).join(', ')}>` : '';
}

function members(checker: ts.TypeChecker, type: ts.Type, at: ts.Node): string[] {
  return checker.getPropertiesOfType(type).map((p) => {
    const optional = p.flags & ts.SymbolFlags.Optional ? '?' : '';
    const readonly = p.declarations?.some((d) => ts.getCombinedModifierFlags(d) & ts.ModifierFlags.Readonly)
      ? 'readonly '
      : '';
    return `  ${readonly}${p.getName()}${optional}: ${checker.typeToString(checker.getTypeOfSymbolAtLocation(p, at), at, FLAGS)}`;
  });
}

/** The exported names of each entry, sorted, with their descriptions. */
export function exportsOf(pkg: PublicPackage, program: ts.Program): Record<string, { name: string; text: string }[]> {
  const checker = program.getTypeChecker();
  const out: Record<string, { name: string; text: string }[]> = {};
  for (const [subpath, file] of Object.entries(pkg.entries)) {
    const source = program.getSourceFile(file);
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (!moduleSymbol) throw new Error(`api-report: ${pkg.name} entry ${subpath} (${file}) is not a module`);
    out[subpath] = checker
      .getExportsOfModule(moduleSymbol)
      .map((s) => ({ name: s.getName(), text: describe(checker, s) }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
  return out;
}

/** The report's Markdown: a header, then per entry the name count and one code block. */
export function renderReport(pkg: PublicPackage, program: ts.Program): string {
  const lines = [
    `# API report: ${pkg.name}`,
    '',
    '<!-- Generated by scripts/api-report.ts (pnpm api:update). Do not edit. -->',
    '',
  ];
  for (const [subpath, names] of Object.entries(exportsOf(pkg, program))) {
    const entry = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.replace(/^\.\//, '')}`;
    lines.push(`## \`${entry}\` (${names.length} names)`, '', '```ts', ...names.map((n) => n.text), '```', '');
  }
  return lines.join('\n');
}

/** One program over every entry of every package, resolved through the `source` condition. */
export function createApiProgram(root: string, packages: PublicPackage[]): ts.Program {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    customConditions: ['source'],
    strict: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
    // Whatever the working directory: the workspace root's @types.
    typeRoots: [join(root, 'node_modules', '@types')],
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  };
  return ts.createProgram(
    packages.flatMap((p) => Object.values(p.entries)),
    options,
    hostReusingLibFiles(options),
  );
}

/** TypeScript's own lib files, parsed once per process: most of a small program's build time. */
const libFiles = new Map<string, ts.SourceFile>();

/** A compiler host that takes TypeScript's lib files (lib.dom.d.ts and the like) from `libFiles`. */
function hostReusingLibFiles(options: ts.CompilerOptions): ts.CompilerHost {
  const host = ts.createCompilerHost(options);
  const libDir = dirname(ts.getDefaultLibFilePath(options));
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, language, onError, create) => {
    if (dirname(fileName) !== libDir) return read(fileName, language, onError, create);
    const parsed = libFiles.get(fileName) ?? read(fileName, language, onError, create);
    if (parsed) libFiles.set(fileName, parsed);
    return parsed;
  };
  return host;
}

/** Names one entry may export before its package README must say why (issue #16). */
export const MAX_EXPORTS = 25;
const WHY_HEADING = `## Why more than ${MAX_EXPORTS} exports`;

/** Entries of `reports` over `MAX_EXPORTS` names whose package README has no "Why more than 25 exports" section. */
export function checkExportCounts(root: string, reports: Map<string, string>): string[] {
  const dirs = new Map(publicPackages(root).map((p) => [p.name, p.dir]));
  const problems: string[] = [];
  for (const text of reports.values()) {
    const name = /^# API report: (\S+)/.exec(text)?.[1] ?? '';
    const readme = join(dirs.get(name) ?? root, 'README.md');
    const justified = existsSync(readme) && readFileSync(readme, 'utf8').split('\n').includes(WHY_HEADING);
    for (const [, entry, count] of text.matchAll(/^## `([^`]+)` \((\d+) names\)$/gm)) {
      if (Number(count) > MAX_EXPORTS && !justified) {
        problems.push(
          `${entry} exports ${count} names, over ${MAX_EXPORTS}: move internals out of the index, or say why in the package README under "${WHY_HEADING}"`,
        );
      }
    }
  }
  return problems;
}

/** Reports for every public package of `root`: file name (relative to root) → content. */
export function buildReports(root: string): Map<string, string> {
  const packages = publicPackages(root);
  const program = createApiProgram(root, packages);
  return new Map(packages.map((p) => [join('api', `${reportStem(p.name)}.api.md`), renderReport(p, program)]));
}

const git = (root: string, args: string[]): string | null => {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
};

/** The commit to compare against: `LEARNABILITY_API_BASE`, else the merge base with main (local or origin), else null. */
export function baseCommit(root: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const refs = env['LEARNABILITY_API_BASE'] ? [env['LEARNABILITY_API_BASE']] : ['main', 'origin/main'];
  for (const ref of refs) {
    const base = git(root, ['merge-base', 'HEAD', ref])?.trim();
    if (base) return base;
  }
  return null;
}

/** Package names in the frontmatter of a changeset file. */
export function changesetPackages(text: string): string[] {
  const front = /^---\n([\s\S]*?)\n---/.exec(text)?.[1] ?? '';
  return [...front.matchAll(/^\s*['"]?(@?[^'":\s]+)['"]?\s*:/gm)].map((m) => m[1] as string);
}

/** The texts of the changesets added since `base` (committed, staged or untracked). */
function changesetsSince(root: string, base: string): string[] {
  const added = (git(root, ['diff', '--name-only', '--diff-filter=A', base, '--', '.changeset']) ?? '').split('\n');
  const untracked = (git(root, ['ls-files', '--others', '--exclude-standard', '--', '.changeset']) ?? '').split('\n');
  return [...new Set([...added, ...untracked])]
    .filter((f) => f.endsWith('.md') && !f.endsWith('README.md') && existsSync(join(root, f)))
    .map((f) => readFileSync(join(root, f), 'utf8'));
}

/** What is wrong with the checked-in reports, one message per problem (empty: all good). */
export function checkReports(root: string, reports: Map<string, string>, base: string | null): string[] {
  const problems: string[] = [];
  const announced = new Set(base ? changesetsSince(root, base).flatMap(changesetPackages) : []);
  for (const [file, want] of reports) {
    const path = join(root, file);
    const have = existsSync(path) ? readFileSync(path, 'utf8') : null;
    const name = /^# API report: (\S+)/.exec(want)?.[1] ?? file;
    if (have !== want) {
      problems.push(
        `${file}: out of date — ${name}'s public API changed; run \`pnpm api:update\`${announced.has(name) ? '' : ' and add a changeset for it'}`,
      );
      continue;
    }
    if (base === null) continue;
    const before = git(root, ['show', `${base}:${file}`]);
    if (before !== null && before !== have && !announced.has(name)) {
      problems.push(
        `${file}: ${name}'s public API changed since ${base.slice(0, 10)} but no changeset added since then names ${name}; add one (.changeset/, minor for a breaking change in 0.x)`,
      );
    }
  }
  return problems;
}

function main(): void {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const reports = buildReports(root);
  const mode = process.argv[2];
  if (mode === '--update') {
    mkdirSync(join(root, 'api'), { recursive: true });
    for (const [file, text] of reports) writeFileSync(join(root, file), text);
    console.log(`api-report: wrote ${[...reports.keys()].join(', ')}`);
  } else if (mode === '--check') {
    const base = baseCommit(root);
    const problems = [...checkReports(root, reports, base), ...checkExportCounts(root, reports)];
    for (const p of problems) console.error(p);
    if (base === null)
      console.error(
        'api-report: no base commit (set LEARNABILITY_API_BASE); checked only that the reports are current',
      );
    if (problems.length) process.exit(1);
    console.log(
      `api-report: ${reports.size} reports current${base ? `, changes since ${base.slice(0, 10)} announced` : ''}`,
    );
  } else {
    console.error('usage: tsx scripts/api-report.ts --update | --check');
    process.exit(2);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
