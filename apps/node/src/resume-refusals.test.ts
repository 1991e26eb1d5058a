/**
 * `run --resume` refuses a record and checkpoint it cannot continue exactly, each with its cause
 * and fix as one line: a preset named as well, a completed run asked for no more steps, a
 * checkpoint past --steps (in a dry run too, as every checkpoint check is), a run that diverged or completed before any
 * checkpoint or has no network to checkpoint, a checkpoint it cannot decode, another run's
 * checkpoint, one taken at a step the record has no evaluation of, and one trained under another
 * config than the (edited) record's. In process, on cpu, on a 16-wide parity model.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluationsEdited } from './commands/resume-plan.js';
import { runCommand } from './commands/run.js';
import type { Io } from './io.js';

const quiet: Io = { out: () => {}, err: () => {}, status: () => {}, interactive: false };
const dir = mkdtempSync(join(tmpdir(), 'learnability-resume-'));
const small = ['--backend', 'cpu', '--set', 'model.widths=[16]', '--set', 'run.evalEvery=100'];

/** Trains `steps` of sparse-parity into `out`; returns its record's path (the checkpoint is beside it). */
async function train(out: string, steps: number, extra: string[] = []): Promise<string> {
  await runCommand(['sparse-parity', '--steps', String(steps), ...small, ...extra, '--out', out], quiet).catch(() => 1);
  const record = readdirSync(out).find((f) => f.endsWith('.jsonl'));
  if (record === undefined) throw new Error(`no record in ${out}`);
  return join(out, record);
}

/** A copy of a record and its checkpoint under a folder of their own, the record's lines kept by `keep`. */
function copyRun(record: string, to: string, keep: (line: string) => boolean = () => true): string {
  mkdirSync(to);
  const copy = join(to, 'run.jsonl');
  const lines = readFileSync(record, 'utf8')
    .split('\n')
    .filter((l) => l !== '' && keep(l));
  writeFileSync(copy, `${lines.join('\n')}\n`);
  copyFileSync(record.replace(/\.jsonl$/, '.ckpt'), join(to, 'run.ckpt'));
  return copy;
}

const resume = (record: string) => runCommand(['--resume', record, '--steps', '400'], quiet);

describe('run --resume refuses what it cannot continue exactly, naming the cause', () => {
  it('a preset as well, a checkpoint it cannot decode, another run’s, one past the record’s evaluations, or one under an edited config', async () => {
    const first = await train(join(dir, 'a'), 200, ['--set', 'run.stopWhenLearned=false']);
    const other = await train(join(dir, 'b'), 100, ['--seed', '1']);
    await expect(runCommand(['sparse-parity', '--resume', first], quiet)).rejects.toThrow(
      /^run: --resume continues the run its record describes, sparse-parity-\S+-s0; drop "sparse-parity" \(to start a new run, leave out --resume\)$/,
    );

    // A completed run resumed for the steps it already did trained nothing, added a start line and exited 0.
    await expect(runCommand(['--resume', first, '--steps', '200'], quiet)).rejects.toThrow(
      /^run: .* already completed 200 steps; pass --steps N above 200 to train it further$/,
    );
    // A stopped run resumed for fewer steps than its checkpoint: refused by a dry run too, from the record.
    const stopped = copyRun(first, join(dir, 'stopped'), (l) => !/"type":"end"/.test(l));
    await expect(runCommand(['--resume', stopped, '--steps', '100', '--dry-run'], quiet)).rejects.toThrow(
      /^run: .*run.jsonl is last evaluated at step 200, past --steps 100; pass --steps N of at least 200$/,
    );

    const cut = copyRun(first, join(dir, 'cut'), (l) => !/"type":"(end|learned)"/.test(l) && !/"step":200,/.test(l));
    await expect(resume(cut)).rejects.toThrow(
      /^run: --resume: the checkpoint ".*run.ckpt" is at step 200, which the record has no evaluation of \(lines lost or edited\?\); start the run again$/,
    );

    // The first evaluation's line deleted, or repeated: either would be carried into the whole run's history.
    const gap = copyRun(first, join(dir, 'gap'), (l) => !/"type":"end"/.test(l) && !/"step":100,/.test(l));
    await expect(resume(gap)).rejects.toThrow(
      /^run: .*run.jsonl has no evaluation between steps 0 and 200, though the run evaluates every 100 \(lines lost or edited\?\); put the record back as the run wrote it, or start the run again$/,
    );
    const repeated = copyRun(first, join(dir, 'repeated'), (l) => !/"type":"end"/.test(l));
    const evalLine = readFileSync(repeated, 'utf8')
      .split('\n')
      .find((l) => /"step":200,/.test(l) && /"type":"eval"/.test(l));
    writeFileSync(repeated, `${readFileSync(repeated, 'utf8')}${evalLine}\n`);
    await expect(resume(repeated)).rejects.toThrow(/run.jsonl has an evaluation of step 200 after one of step 200/);

    const swapped = copyRun(first, join(dir, 'swapped'));
    copyFileSync(other.replace(/\.jsonl$/, '.ckpt'), swapped.replace(/\.jsonl$/, '.ckpt'));
    await expect(resume(swapped)).rejects.toThrow(
      /^run: --resume: the checkpoint ".*run.ckpt" is run sparse-parity-\S+-s1's, not sparse-parity-\S+-s0's; put the run's own checkpoint back$/,
    );

    const torn = copyRun(first, join(dir, 'torn'));
    const bytes = readFileSync(torn.replace(/\.jsonl$/, '.ckpt'));
    writeFileSync(torn.replace(/\.jsonl$/, '.ckpt'), bytes.subarray(0, bytes.length >> 1));
    await expect(resume(torn)).rejects.toThrow(
      /^run: --resume: the checkpoint ".*run.ckpt" cannot be read \(.*\); put the run's own checkpoint back, or start the run again$/,
    );
    // A dry run reads and checks the checkpoint too: it had answered as if the run could go on.
    await expect(runCommand(['--resume', torn, '--steps', '400', '--dry-run'], quiet)).rejects.toThrow(
      /^run: --resume: the checkpoint ".*run.ckpt" cannot be read/,
    );
    await expect(runCommand(['--resume', swapped, '--steps', '400', '--dry-run'], quiet)).rejects.toThrow(
      /^run: --resume: the checkpoint ".*run.ckpt" is run sparse-parity-\S+-s1's/,
    );

    // The record's start line edited by hand: it would resume the checkpoint's weights under another
    // lr and seed, and rewrite the record's history as if the whole run had them.
    const edited = copyRun(first, join(dir, 'edited'));
    const lines = readFileSync(edited, 'utf8').split('\n');
    lines[0] = (lines[0] as string).replace(/"lr":[\d.e-]+/, '"lr":3').replace(/("run":\{[^}]*"seed":)\d+/, '$15');
    writeFileSync(edited, lines.join('\n'));
    await expect(resume(edited)).rejects.toThrow(
      /^run: --resume: the checkpoint ".*run.ckpt" was trained under another config than the record's at trainer.lr, run.seed \(record edited\?\); put the record back as the run wrote it, or start the run again$/,
    );
    expect(readFileSync(edited, 'utf8')).toBe(lines.join('\n')); // refused before the record is touched
    // A key deleted from the start line would resume under its default (weight decay 0, not 0.01).
    const unkeyed = copyRun(first, join(dir, 'unkeyed'));
    const cutLines = readFileSync(unkeyed, 'utf8').split('\n');
    expect(cutLines[0]).toContain('"weightDecay":0.01');
    cutLines[0] = (cutLines[0] as string).replace(',"weightDecay":0.01', '');
    writeFileSync(unkeyed, cutLines.join('\n'));
    await expect(resume(unkeyed)).rejects.toThrow(
      /^run: --resume: the checkpoint ".*run.ckpt" was trained under another config than the record's at trainer.weightDecay \(record edited\?\)/,
    );
  });

  it('a run that diverged at its first evaluation, completed without one, or has no network has no checkpoint to resume', async () => {
    const diverged = await train(join(dir, 'diverged'), 200, ['--set', 'trainer.lr=1000000']);
    await expect(resume(diverged)).rejects.toThrow(
      /beside it; the run diverged at its first evaluation \(step 100\), before any checkpoint; start it again with a lower learning rate$/,
    );
    const learnerOnly = join(dir, 'learner-only');
    await runCommand(['parity-elimination', '--backend', 'cpu', '--set', 'task.n=64', '--out', learnerOnly], quiet);
    const killed = readdirSync(learnerOnly).find((f) => f.endsWith('.jsonl')) as string;
    const lines = readFileSync(join(learnerOnly, killed), 'utf8').split('\n');
    writeFileSync(join(learnerOnly, killed), lines.filter((l) => !l.includes('"type":"end"')).join('\n'));
    await expect(resume(join(learnerOnly, killed))).rejects.toThrow(
      /beside it; a run with no network \(stream learners only\) keeps no checkpoint; start it again$/,
    );
    // As a record downloaded from the web lab: evaluations, and no checkpoint beside it.
    const bare = await train(join(dir, 'bare'), 200);
    rmSync(bare.replace(/\.jsonl$/, '.ckpt'));
    await expect(resume(bare)).rejects.toThrow(
      /beside it; the record has evaluations, so the checkpoint was moved or deleted \(a record downloaded from the web lab has none\): put it back, or start the run again$/,
    );
    // As a run killed between its first evaluation's line and its first checkpoint.
    mkdirSync(join(dir, 'first'));
    const first = join(dir, 'first', 'run.jsonl');
    const kept = readFileSync(bare, 'utf8')
      .split('\n')
      .filter((l) => !l.includes('"type":"end"') && !l.includes('"step":200'));
    writeFileSync(first, kept.join('\n'));
    await expect(resume(first)).rejects.toThrow(
      /beside it; the run stopped after its first evaluation \(step 100\) and before its first checkpoint, or the checkpoint was moved: put it back, or start the run again$/,
    );
    const none = await train(join(dir, 'none'), 0);
    await expect(resume(none)).rejects.toThrow(
      /beside it; the run completed without an evaluation \(0 steps\), so there is nothing to resume; start it again with --steps N$/,
    );
  });
});

describe('evaluationsEdited', () => {
  it('passes what a run writes, and names a repeated or a lost evaluation line', () => {
    expect(evaluationsEdited([100, 200, 250, 300, 400], 100)).toBeNull(); // a session that ended at 250
    expect(evaluationsEdited([], 100)).toBeNull();
    expect(evaluationsEdited([100, 200, 200, 300], 100)).toBe(
      'has an evaluation of step 200 after one of step 200 (lines repeated or edited?)',
    );
    expect(evaluationsEdited([100, 200, 400], 100)).toBe(
      'has no evaluation between steps 200 and 400, though the run evaluates every 100 (lines lost or edited?)',
    );
    expect(evaluationsEdited([200, 300], 100)).toMatch(/^has no evaluation between steps 0 and 200/);
  });
});
