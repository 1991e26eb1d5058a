import { readFileSync } from 'node:fs';
import { reluParityAlignment, logLogSlope } from './src/index.js';
for (const bias of ['zero', 'fan-in', 'unit']) for (const k of [1, 2, 3, 4]) {
  const d = JSON.parse(readFileSync(`/tmp/inal-scratch/slopes/${bias}-${k}.json`, 'utf8')) as { points: { n: number; inal: number; ciLow: number; ciHigh: number; resolved: boolean }[]; slope: number | null };
  const s2 = (n: number) => (bias === 'zero' ? 0 : bias === 'unit' ? 1 : 1 / n);
  const sorted = d.points;
  const used: number[] = [];
  for (const p of sorted) { if (!p.resolved) break; used.push(p.n); }
  const cf = logLogSlope(used.map((n) => ({ x: n, y: reluParityAlignment(n, k, s2(n)) })));
  const cells = sorted.map((p) => `${p.n}: ${p.resolved ? p.inal.toExponential(2) : `≤${Math.max(p.ciHigh, 0).toExponential(1)}`} (cf ${reluParityAlignment(p.n, k, s2(p.n)).toExponential(2)})`);
  console.log(`${bias} k=${k} measured ${d.slope?.toFixed(2)} closed-form-same-n ${cf?.slope.toFixed(2)} | ${cells.join('; ')}`);
}
