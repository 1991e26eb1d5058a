/**
 * Every `learnability run | sweep | inal` command the docs and READMEs show still parses and
 * names valid configs: each runs here with `--dry-run` (flags, presets, every run config of an
 * experiment or sweep, the INAL target at each n; nothing trained), so a renamed flag or option
 * breaks this test, not a reader's copy-paste. Commands with shell variables or placeholders
 * (`$rule`, `<preset>`, `…`) are left out, each having a literal sibling in the same docs, and so
 * are resumed runs (`--resume` needs a run's record).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../test/cli.js';
import { inalCommand } from './commands/inal.js';
import { runCommand } from './commands/run.js';
import { sweepCommand } from './commands/sweep.js';
import type { Io } from './io.js';

const COMMANDS = { run: runCommand, sweep: sweepCommand, inal: inalCommand };

/** The markdown a reader copies commands from: the root README, docs/, and each package's and app's README. */
function markdownFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      if (e.name === 'node_modules' || e.name === 'dist' || e.name.startsWith('.')) return [];
      const path = join(dir, e.name);
      return e.isDirectory() ? walk(path) : e.name.endsWith('.md') ? [path] : [];
    });
  const readmes = (dir: string) => walk(join(ROOT, dir)).filter((f) => f.endsWith('/README.md'));
  return [join(ROOT, 'README.md'), ...walk(join(ROOT, 'docs')), ...readmes('packages'), ...readmes('apps')];
}

/** The code a markdown file shows: each line of a fenced block (with `\` continuations joined), and each inline span. */
function codeOf(text: string): string[] {
  const fenced = [...text.matchAll(/^```[^\n]*\n([\s\S]*?)^```/gm)].flatMap((m) =>
    (m[1] as string).replace(/\\\n\s*/g, ' ').split('\n'),
  );
  const prose = text.replace(/^```[^\n]*\n[\s\S]*?^```/gm, '');
  const inline = [...prose.matchAll(/`([^`]+)`/g)].map((m) => (m[1] as string).replace(/\s*\n\s*/g, ' '));
  return [...fenced, ...inline];
}

/** Shell words: quotes group and are removed, `\"` inside double quotes is a quote; stops at an unquoted #, |, ; or &&. */
function words(line: string): string[] {
  const out: string[] = [];
  let word: string | null = null;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quote) {
      if (c === quote) quote = null;
      else if (quote === '"' && c === '\\' && line[i + 1] === '"') word += line[++i] as string;
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      word ??= '';
    } else if (/\s/.test(c)) {
      if (word !== null) out.push(word);
      word = null;
    } else if (c === '#' || c === '|' || c === ';' || (c === '&' && line[i + 1] === '&')) break;
    else word = (word ?? '') + c;
  }
  if (word !== null) out.push(word);
  return out;
}

/** `[command, ...args]` of each distinct documented command that names what it runs. */
function documentedCommands(): { argv: string[]; where: string }[] {
  const found = new Map<string, string>();
  for (const file of markdownFiles()) {
    for (const code of codeOf(readFileSync(file, 'utf8'))) {
      const at = code.search(/\blearnability (run|sweep|inal) /);
      if (at < 0) continue;
      const command = code.slice(at + 'learnability '.length);
      // Shell variables and placeholders; a bare mention (`learnability run`); `--resume`, which needs a record.
      if (/[$<>…]|\.\.\.|--resume/.test(command) || words(command).length < 2) continue;
      found.set(words(command).join('\u0000'), relative(ROOT, file));
    }
  }
  return [...found].map(([key, where]) => ({ argv: key.split('\u0000'), where }));
}

const quiet: Io = { out: () => {}, err: () => {}, status: () => {}, interactive: false };

describe('the commands the docs show', () => {
  const commands = documentedCommands();

  it('are found (the docs show at least the main job, the named experiments, a sweep and inal)', () => {
    const shown = commands.map((c) => c.argv.slice(0, 2).join(' '));
    for (const c of ['run sparse-parity', 'run looped-vs-standard', 'run align-width-sweep', 'run inal-learnability'])
      expect(shown).toContain(c);
    expect(shown).toContain('run rcnn-vs-elimination');
    expect(shown.some((c) => c.startsWith('sweep '))).toBe(true);
    expect(shown.some((c) => c.startsWith('inal '))).toBe(true);
  });

  for (const { argv, where } of commands) {
    it(`parse and validate: learnability ${argv.join(' ')} (${where})`, async () => {
      const [name, ...args] = argv as [keyof typeof COMMANDS, ...string[]];
      // A sweep's spec file is relative to the repository root, where the docs run it.
      if (name === 'sweep' && args[0] !== undefined) args[0] = join(ROOT, args[0]);
      const lines: string[] = [];
      const io: Io = { ...quiet, out: (l) => lines.push(l), err: (l) => lines.push(l) };
      expect(await COMMANDS[name]([...args, '--dry-run'], io)).toBe(0);
      expect(lines.join('\n')).toMatch(/^dry run: /m);
    });
  }
});
