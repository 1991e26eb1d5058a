import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeCheckpoint, encodeCheckpoint, parseRecord } from '@learnability/experiment';
import { describe, expect, it } from 'vitest';
import { tinyParityConfig } from '../../test/tiny-parity.js';
import { UsageError } from '../cli-error.js';
import { executePackedRun } from './execute-packed-run.js';
import { runLocalPool } from './local-pool.js';

const config = tinyParityConfig();

describe('executePackedRun', () => {
  it("refuses a finished record of another run at this run's path (copied or renamed), before reading its scores", async () => {
    const recordPath = join(mkdtempSync(join(tmpdir(), 'learnability-packed-')), 'other.jsonl');
    await executePackedRun({ run: { id: 'first', config, jobIds: ['a'] }, recordPath, threads: 1 });
    await expect(
      executePackedRun({ run: { id: 'second', config, jobIds: ['b'] }, recordPath, threads: 1 }),
    ).rejects.toThrow(
      `${recordPath} is the record of run first, not of this run (second): copied or renamed? Move it aside to train this run`,
    );
  });

  it('stops a run past its time budget, and then reuses it as done, as a queue reuses its completed job', async () => {
    const recordPath = join(mkdtempSync(join(tmpdir(), 'learnability-packed-')), 'budget.jsonl');
    // A budget every evaluation is past: the run stops at its first, step 20 of 40.
    const task = { run: { id: 'budget', config, jobIds: ['a'] }, recordPath, threads: 1, maxSeconds: 1e-6 };
    const first = await executePackedRun(task);
    expect([first.how, first.summary.status, first.summary.steps]).toEqual(['ran', 'stopped', 20]);
    const again = await executePackedRun(task);
    expect([again.how, again.summary.steps]).toEqual(['skipped', 20]);
    // Without a budget (or a larger one), the same record is a stopped run that resumes to its end.
    const { maxSeconds: _budget, ...unbounded } = task;
    const resumed = await executePackedRun(unbounded);
    expect([resumed.how, resumed.summary.status, resumed.summary.steps]).toEqual(['resumed', 'completed', 40]);
  });

  it('a run killed past its budget, after its checkpoint and before its end line, resumes only to end there', async () => {
    const recordPath = join(mkdtempSync(join(tmpdir(), 'learnability-packed-')), 'killed.jsonl');
    const task = { run: { id: 'killed', config, jobIds: ['a'] }, recordPath, threads: 1, maxSeconds: 1e-6 };
    await executePackedRun(task);
    // What a kill there leaves: every line but the end one.
    const lines = readFileSync(recordPath, 'utf8').trimEnd().split('\n');
    writeFileSync(recordPath, `${lines.filter((l) => !l.includes('"type":"end"')).join('\n')}\n`);
    const resumed = await executePackedRun(task);
    expect([resumed.how, resumed.summary.status, resumed.summary.steps]).toEqual(['resumed', 'stopped', 20]);
    expect(parseRecord(readFileSync(recordPath, 'utf8')).evals.map((e) => e.step)).toEqual([20]);
  });

  it('refuses, as run --resume does, to resume a record whose evaluation lines were repeated or lost', async () => {
    const recordPath = join(mkdtempSync(join(tmpdir(), 'learnability-packed-')), 'edited.jsonl');
    const run = { id: 'edited', config, jobIds: ['a'] };
    await executePackedRun({ run, recordPath, threads: 1, maxSeconds: 1e-6 }); // stopped at step 20, checkpointed
    const lines = readFileSync(recordPath, 'utf8').trimEnd().split('\n');
    const evalLine = lines.find((l) => l.includes('"type":"eval"')) as string;
    writeFileSync(recordPath, `${[...lines, evalLine].join('\n')}\n`);
    await expect(executePackedRun({ run, recordPath, threads: 1 })).rejects.toThrow(
      `resume: "${recordPath}" has an evaluation of step 20 after one of step 20 (lines repeated or edited?); put the record back as the run wrote it, or delete it and its checkpoint to run it again`,
    );
    // As the run wrote it, the record resumes to its end.
    writeFileSync(recordPath, `${lines.join('\n')}\n`);
    const resumed = await executePackedRun({ run, recordPath, threads: 1 });
    expect([resumed.how, resumed.summary.status, resumed.summary.steps]).toEqual(['resumed', 'completed', 40]);
  });

  it('says so when it resumes a run on another backend than its last session, as run --resume does', async () => {
    const recordPath = join(mkdtempSync(join(tmpdir(), 'learnability-packed-')), 'moved.jsonl');
    await executePackedRun({ run: { id: 'moved', config, jobIds: ['a'] }, recordPath, threads: 1, maxSeconds: 1e-6 });
    const onWasm = { id: 'moved', config: tinyParityConfig(['backend="wasm"']), jobIds: ['a'] };
    const resumed = await executePackedRun({ run: onWasm, recordPath, threads: 1 });
    expect([resumed.how, resumed.summary.steps]).toEqual(['resumed', 40]);
    expect(resumed.note).toBe(
      "resumed on wasm; its last session ran on cpu: from step 20 on its numbers are wasm's, equal to cpu's to float tolerance, not bit for bit",
    );
  });

  it('starts again a run whose record was torn before its first line was whole, with no checkpoint', async () => {
    const recordPath = join(mkdtempSync(join(tmpdir(), 'learnability-packed-')), 'torn.jsonl');
    writeFileSync(recordPath, '{"type":"start","runId":"to');
    const outcome = await executePackedRun({ run: { id: 'torn', config, jobIds: ['a'] }, recordPath, threads: 1 });
    expect(outcome.how).toBe('ran');
    expect(outcome.summary.steps).toBe(40);
    const record = parseRecord(readFileSync(recordPath, 'utf8'));
    expect([record.starts.length, record.evals.map((e) => e.step), record.end?.summary.status]).toEqual([
      1,
      [20, 40],
      'completed',
    ]);
  });

  it('refuses in one line, with the fix, a record that cannot be read beside its checkpoint', async () => {
    const recordPath = join(mkdtempSync(join(tmpdir(), 'learnability-packed-')), 'damaged.jsonl');
    writeFileSync(recordPath, 'not a record\n');
    writeFileSync(recordPath.replace(/\.jsonl$/, '.ckpt'), 'x');
    const run = executePackedRun({ run: { id: 'damaged', config, jobIds: ['a'] }, recordPath, threads: 1 });
    await expect(run).rejects.toThrow(UsageError);
    await expect(run).rejects.toThrow(
      `its record cannot be read (${recordPath}:1: not a JSON line; expected one learnability run event per line); move ${recordPath} and its .ckpt aside to train this run again`,
    );
  });

  it('keeps a finished record damaged past its first line, with no checkpoint beside it, and says so, rather than training it again over it', async () => {
    const recordPath = join(mkdtempSync(join(tmpdir(), 'learnability-packed-')), 'kept.jsonl');
    const run = { id: 'kept', config, jobIds: ['a'] };
    await executePackedRun({ run, recordPath, threads: 1 });
    rmSync(recordPath.replace(/\.jsonl$/, '.ckpt'));
    const lines = readFileSync(recordPath, 'utf8').split('\n');
    lines[1] = '{"type":"eval", damaged';
    writeFileSync(recordPath, lines.join('\n'));
    await expect(executePackedRun({ run, recordPath, threads: 1 })).rejects.toThrow(
      `its record cannot be read (${recordPath}:2: not a JSON line; expected one learnability run event per line); move ${recordPath} aside to train this run again`,
    );
    expect(readFileSync(recordPath, 'utf8')).toBe(lines.join('\n'));
  });

  it('refuses to reuse a finished record trained past the spec (run --resume --steps), which its cell would count', async () => {
    const recordPath = join(mkdtempSync(join(tmpdir(), 'learnability-packed-')), 'further.jsonl');
    const run = { id: 'further', config, jobIds: ['a'] };
    // What run --resume --steps 60 leaves: the run's record, ended at step 60 of a 40-step spec.
    const longer = { ...run, config: tinyParityConfig(['run.steps=60', 'run.stopWhenLearned=false']) };
    await executePackedRun({ run: longer, recordPath, threads: 1 });
    const written = readFileSync(recordPath, 'utf8');
    await expect(executePackedRun({ run, recordPath, threads: 1 })).rejects.toThrow(
      `reuse: "${recordPath}" is evaluated up to step 60, past the spec's run.steps 40 (trained further with run --resume --steps?); move it and its checkpoint aside to train this run as the spec says`,
    );
    expect(readFileSync(recordPath, 'utf8')).toBe(written);
  });

  it('refuses to resume a record trained past the spec (run --resume --steps), or whose start line was edited', async () => {
    const recordPath = join(mkdtempSync(join(tmpdir(), 'learnability-packed-')), 'past.jsonl');
    const run = { id: 'past', config, jobIds: ['a'] };
    // Stopped at step 20 of 40 as a run of 60 steps would be (what run --resume --steps 60 leaves).
    const longer = { ...run, config: tinyParityConfig(['run.steps=60']) };
    await executePackedRun({ run: longer, recordPath, threads: 1, maxSeconds: 1e-6 });
    const stopped = readFileSync(recordPath, 'utf8');
    const lines = stopped.trimEnd().split('\n');
    const evalAt = (step: number) =>
      (lines.find((l) => l.includes('"type":"eval"')) as string).replace('"step":20,', `"step":${step},`);
    writeFileSync(
      recordPath,
      `${[...lines.filter((l) => !l.includes('"type":"end"')), evalAt(40), evalAt(60)].join('\n')}\n`,
    );
    await expect(executePackedRun({ run, recordPath, threads: 1 })).rejects.toThrow(
      `resume: "${recordPath}" is evaluated up to step 60, past the spec's run.steps 40 (trained further with run --resume --steps?); move it and its checkpoint aside to train this run as the spec says`,
    );
    // The record's own start line edited (its lr): the checkpoint was trained under another config.
    writeFileSync(recordPath, stopped.replace('"lr":', '"lr":1e-9,"was":'));
    await expect(executePackedRun({ run, recordPath, threads: 1 })).rejects.toThrow(
      /^resume: the checkpoint ".*past.ckpt" was trained under another config than the record's at trainer.lr/,
    );
  });

  it('refuses, naming the files, a checkpoint its record has lost the evaluation of, or one of another config', async () => {
    // A finished run, then its record cut back as a crash mid-write could leave it (and as a
    // hand edit would): without its end line and the evaluation its checkpoint was taken at.
    const dir = mkdtempSync(join(tmpdir(), 'learnability-packed-'));
    const recordPath = join(dir, 'run.jsonl');
    const run = { id: 'cut', config, jobIds: ['a'] };
    await executePackedRun({ run, recordPath, threads: 1 });
    const whole = readFileSync(recordPath, 'utf8');
    const lines = whole.split('\n').filter((l) => l !== '' && !/"type":"(end|learned)"/.test(l));
    writeFileSync(recordPath, `${lines.filter((l) => !/"step":40,/.test(l)).join('\n')}\n`);
    await expect(executePackedRun({ run, recordPath, threads: 1 })).rejects.toThrow(
      /^resume: the checkpoint ".*run.ckpt" is at step 40, which the record has no evaluation of \(lines lost or edited\?\); delete ".*run.jsonl" and its checkpoint to run it again$/,
    );
    // The same record whole again but stopped (no end line), resumed as another config: refused too.
    writeFileSync(recordPath, `${lines.join('\n')}\n`);
    const other = { ...run, config: tinyParityConfig(['trainer.lr=0.5']) };
    await expect(executePackedRun({ run: other, recordPath, threads: 1 })).rejects.toThrow(
      /^resume: the checkpoint ".*run.ckpt" was trained under another config than the record's at trainer.lr/,
    );
    expect(readFileSync(recordPath, 'utf8')).toBe(`${lines.join('\n')}\n`); // refused before the record is cut
    // Another live process writing the record: refused before this one reads, cuts or deletes anything.
    writeFileSync(`${recordPath}.lock`, String(process.ppid));
    const before = tf.memory().numTensors;
    await expect(executePackedRun({ run, recordPath, threads: 1 })).rejects.toThrow(
      new RegExp(`^run record ".*run.jsonl" is being written by process ${process.ppid};`),
    );
    expect(tf.memory().numTensors).toBe(before);
    // Its first checkpoint not written yet: a second sweep would have deleted the live record.
    rmSync(recordPath.replace(/\.jsonl$/, '.ckpt'));
    await expect(executePackedRun({ run, recordPath, threads: 1 })).rejects.toThrow(/is being written by process/);
    expect(readFileSync(recordPath, 'utf8')).toBe(`${lines.join('\n')}\n`);
    rmSync(`${recordPath}.lock`);
    // With no process writing it, a record with evaluations and no checkpoint is kept, not started again.
    await expect(executePackedRun({ run, recordPath, threads: 1 })).rejects.toThrow(
      /^resume: ".*run.jsonl" has evaluations up to step 40 but no checkpoint ".*run.ckpt" beside it \(moved or deleted\?\), so it cannot resume; put the checkpoint back, or delete the record to run it again$/,
    );
    expect(readFileSync(recordPath, 'utf8')).toBe(`${lines.join('\n')}\n`);
    // Through the pool, the same refusal is one line (a UsageError), naming the run.
    await expect(
      runLocalPool([{ run, recordPath, threads: 1 }], 1, { onEval: () => {}, onDone: () => {} }),
    ).rejects.toThrow(
      new UsageError(
        `run cut: resume: "${recordPath}" has evaluations up to step 40 but no checkpoint "${recordPath.replace(/\.jsonl$/, '.ckpt')}" beside it (moved or deleted?), so it cannot resume; put the checkpoint back, or delete the record to run it again`,
      ),
    );
    // One evaluation and no checkpoint: killed before its first checkpoint, so it starts again.
    writeFileSync(recordPath, `${lines.filter((l) => !/"step":40,/.test(l)).join('\n')}\n`);
    const again = await executePackedRun({ run, recordPath, threads: 1 });
    expect([again.how, again.summary.status, again.summary.steps]).toEqual(['ran', 'completed', 40]);
  });

  it('frees a checkpoint the run refuses once it has read it: a pool thread lives on after the refusal', async () => {
    // A stopped run whose checkpoint passes the record's checks (its run, step and config) but
    // holds a parameter of another size, as a hand edit could leave it: refused by runExperiment.
    const dir = mkdtempSync(join(tmpdir(), 'learnability-packed-'));
    const recordPath = join(dir, 'run.jsonl');
    const run = { id: 'edited', config, jobIds: ['a'] };
    await executePackedRun({ run, recordPath, threads: 1 });
    const lines = readFileSync(recordPath, 'utf8').split('\n');
    writeFileSync(recordPath, `${lines.filter((l) => l !== '' && !/"type":"(end|learned)"/.test(l)).join('\n')}\n`);
    const checkpointPath = recordPath.replace(/\.jsonl$/, '.ckpt');
    const checkpoint = decodeCheckpoint(readFileSync(checkpointPath));
    const w0 = checkpoint.params['w0'] as tf.Tensor;
    checkpoint.params['w0'] = tf.zeros([w0.shape[0] as number, (w0.shape[1] as number) + 1, w0.shape[2] as number]);
    writeFileSync(checkpointPath, await encodeCheckpoint(checkpoint));
    tf.dispose([
      w0,
      Object.values(checkpoint.params),
      Object.values(checkpoint.slots),
      Object.values(checkpoint.initialParams),
    ]);
    const before = tf.memory().numTensors;
    await expect(executePackedRun({ run, recordPath, threads: 1 })).rejects.toThrow(/^resume: the checkpoint holds/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
