import { extname } from 'node:path';
import { parseFlags } from '../args.js';
import { UsageError } from '../cli-error.js';
import type { Io } from '../io.js';
import { shownPath, writeOutFile } from '../out-dir.js';
import { readRunRecord } from '../read-record.js';
import { renderSvg, svgToPng } from '../render/plot.js';
import { recordSpec } from '../render/record-spec.js';

export const PLOT_HELP = `learnability plot <record.jsonl> --out <fig.svg|fig.png> [--json]

Draws training loss and test accuracy (or test MSE) against step for every replica of a run.`;

export async function plotCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags('plot', argv, { out: { type: 'string' } }, 1);
  if (values.help) return (io.out(PLOT_HELP), 0);
  const source = positionals[0];
  if (source === undefined) throw new UsageError('plot: missing <record.jsonl>; pass the record path a run printed');
  const out = values.out;
  const ext = out === undefined ? '' : extname(out).toLowerCase();
  if (out === undefined || (ext !== '.svg' && ext !== '.png')) {
    throw new UsageError(
      `plot: --out must name a .svg or .png file, but got ${out === undefined ? 'nothing' : `"${out}"`}`,
    );
  }
  const record = readRunRecord('plot', 'record', source);
  if (record.evals.length === 0) {
    // A finished run (0 steps, or stopped before its first evaluation) will not get any; a run of
    // stream learners alone (parity-elimination) never evaluates.
    const config = record.starts[0]?.config as { model?: unknown } | undefined;
    const why =
      config && !config.model
        ? ': its run trains no network (its learners run alone), and only networks are evaluated'
        : record.end
          ? `: its run ended at step ${record.end.summary.steps}, before any evaluation`
          : ' yet';
    throw new UsageError(`plot: ${source} has no eval lines${why}; nothing to draw`);
  }
  const runId = record.starts[0]?.runId ?? source;
  const svg = await renderSvg(recordSpec(record, runId));
  writeOutFile('plot: --out', out, ext === '.svg' ? svg : await svgToPng(svg));
  if (values.json) io.out(JSON.stringify({ record: source, out, evals: record.evals.length }));
  else {
    const [evals, replicas] = [record.evals.length, record.evals[0]?.loss.length ?? 0];
    io.out(
      `wrote ${shownPath(out)} (${evals} eval${evals === 1 ? '' : 's'}, ${replicas} replica${replicas === 1 ? '' : 's'})`,
    );
  }
  return 0;
}
