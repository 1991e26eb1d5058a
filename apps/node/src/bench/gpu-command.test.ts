import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli, ourStderr } from '../../test/cli.js';

/** Whether Debian's python3 has torch, and whether that torch can use CUDA. */
const PYTHON = '/usr/bin/python3';
const probe = (code: string) =>
  existsSync(PYTHON) && spawnSync(PYTHON, ['-c', code], { stdio: 'ignore', timeout: 60_000 }).status === 0;
const hasTorch = probe('import torch');
const hasCuda = hasTorch && probe('import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)');

interface Stats {
  median: number;
  samples: number[];
}
interface Row {
  workload: string;
  unit: string;
  ours: Stats;
  trainStep?: string;
  paramCount?: number;
  reference: { name: string; value: Stats; paramCount?: number; blasThreads?: number[] } | null;
  ratio: number | null;
  ratios: Stats | null;
  runs?: { requested: string; backend: string; seconds: number; steps: number }[];
  breakdown?: { sampleMs: number; issueMs: number; stepMs: number };
}

// Every workload but mlp512 and standard (the same code paths as parity and looped), at a tiny scale, on wasm.
const TINY = [
  ...[
    'bench',
    'gpu',
    '--backend',
    'wasm',
    '--only',
    'parity,replicas,looped,rcnn,rnn,matmul,run',
    '--steps',
    '5',
    '--repeats',
    '2',
  ],
  ...[
    '--replicas',
    '2',
    '--replica-steps',
    '5',
    '--scale',
    'small',
    '--transformer-steps',
    '1',
    '--transformer-batch',
    '8',
    '--rcnn-n',
    '4',
    '--rcnn-steps',
    '2',
    '--rnn-steps',
    '2',
    '--threads',
    '1',
    '--matmul-size',
    '64',
    '--matmul-iters',
    '1',
  ],
  ...[
    '--run-set',
    'task.n=8',
    '--run-set',
    'model.widths=[16]',
    '--run-set',
    'run.steps=100',
    '--run-set',
    'run.evalEvery=50',
    '--run-set',
    'run.testSize=100',
    '--run-reference',
    'cpu',
  ],
];

describe('learnability bench gpu', () => {
  it('--json: one row per workload, each with the training step that ran, raw samples, and ratios > 1 meaning ours is faster', () => {
    const r = cli([...TINY, '--torch-device', 'cpu', '--json']);
    expect(r.code, r.stderr).toBe(0);
    // The start line (stderr under --json) names the training path.
    expect(r.stderr).toMatch(/^training step \(sparse-parity model\): (fused kernel|generic TF\.js)/m);
    const out = JSON.parse(r.stdout) as {
      backend: string;
      rows: Row[];
      torch: { device?: string; blas?: string; blasThreads?: number; skipped?: string };
      fusedAgreement: Record<string, { fused: string; agrees: boolean } | null>;
    };
    expect(out.backend).toBe('wasm');
    // The reference's figures are in the rows and rounds alone, not one round's of them here too.
    expect(out.torch).not.toHaveProperty('workloads');
    // wasm has the fused dense kernel: checked against the generic step before anything is timed.
    for (const w of ['parity', 'mlp512'])
      expect(out.fusedAgreement[w]).toMatchObject({ fused: expect.stringMatching(/^fused kernel/), agrees: true });
    expect(out.rows.map((row) => [row.workload, row.unit])).toEqual([
      ['parity', 'steps/s'],
      ['replicas', 's'],
      ['looped', 'steps/s'],
      ['rcnn', 'steps/s'],
      ['rnn', 'steps/s'],
      ['matmul', 'TFLOP/s'],
      ['run', 's'],
    ]);
    const byName = Object.fromEntries(out.rows.map((row) => [row.workload, row])) as Record<string, Row>;
    expect(byName.parity?.ours.samples).toHaveLength(2);
    // Where a step's time goes, for the training rows: issuing a step cannot take longer than running it.
    for (const w of ['replicas', 'looped']) {
      const b = byName[w]?.breakdown;
      expect(b?.sampleMs).toBeGreaterThan(0);
      expect(b?.issueMs).toBeGreaterThan(0);
      expect(b?.issueMs).toBeLessThanOrEqual(b?.stepMs ?? 0);
    }
    for (const w of ['parity', 'replicas', 'looped', 'rcnn', 'rnn'])
      expect(byName[w]?.trainStep).toMatch(/^(fused kernel|generic TF\.js)/);
    expect((byName.rnn as { label?: string } | undefined)?.label).toBe(
      'ReLU RNN of align-add: T=100, width 64, batch 50, MSE, backprop + SGD',
    );
    expect(byName.rnn?.trainStep).toMatch(/the recurrence runs as one wasm kernel each way$/);
    expect((byName.rcnn as { label?: string } | undefined)?.label).toBe(
      'RCNN n=4: 1×4 grid, C=8, 1×3 filter, T=5, plain unroll, Adam, batch 32',
    );
    expect(byName.rcnn?.trainStep).toMatch(
      /the recurrent steps \(convolution and gated update\) run as one wasm kernel each way$/,
    );
    expect((byName.looped as { label?: string } | undefined)?.label).toMatch(/, batch 8, Adam$/);
    expect(byName.looped?.trainStep).toMatch(
      /^generic TF\.js on wasm: no whole-step kernel on wasm \(webgpu has one\); GELU, LayerNorm and attention run as wasm kernels$/,
    );

    // The run row: the CLI spawned once per backend; the reference is our other backend.
    // Then as users run it by default: auto, which picks wasm beside a software adapter or none.
    expect(byName.run?.runs?.map((x) => x.requested)).toEqual(['wasm', 'cpu', 'auto']);
    expect(byName.run?.runs?.map((x) => x.backend)).toEqual(['wasm', 'cpu', 'wasm']);
    expect(byName.run?.runs?.every((x) => x.steps > 0 && x.seconds > 0)).toBe(true);
    expect(byName.run?.reference?.name).toBe('cpu (ours)');

    if (hasTorch) {
      expect(out.torch.device).toBe('cpu');
      expect(out.torch.blas).toMatch(/libblas\.so\.3$/);
      // Under OpenBLAS with a pool of several threads, each model ran on the faster of 1 and the pool.
      if (out.torch.blas?.includes('openblas') && (out.torch.blasThreads ?? 1) > 1)
        for (const w of ['parity', 'replicas', 'looped', 'rcnn', 'rnn']) {
          // The replicas against PyTorch's faster way on its CPU, named when it is one after another.
          expect(byName[w]?.reference?.name, w).toMatch(
            w === 'replicas' ? /^PyTorch cpu( \(one network after another\))?$/ : /^PyTorch cpu$/,
          );
          expect(byName[w]?.reference?.blasThreads, w).toEqual([expect.toBeOneOf([1, out.torch.blasThreads])]);
        }
      expect(byName.looped?.reference?.paramCount).toBe(byName.looped?.paramCount);
      expect(byName.looped?.paramCount).toBe(13_537);
      // n = 4: first layer 4·4·8 + 4·8, filter 1·3·16·16 + 16, readout 8·16 + 16 + 16 + 1.
      expect(byName.rcnn?.reference?.paramCount).toBe(byName.rcnn?.paramCount);
      expect(byName.rcnn?.paramCount).toBe(4 * 32 + 32 + 784 + 161);
      // d·n + n·n + n + n·o + o at d = 1, n = 64, o = 1.
      expect(byName.rnn?.reference?.paramCount).toBe(byName.rnn?.paramCount);
      expect(byName.rnn?.paramCount).toBe(64 + 64 * 64 + 64 + 64 + 1);
    } else expect(out.torch.skipped).toMatch(/cannot import torch|not found/);

    // Ratio semantics: rates ours ÷ reference, wall times reference ÷ ours.
    for (const row of out.rows) {
      if (row.reference === null) {
        expect(row.ratio).toBeNull();
        continue;
      }
      const expected =
        row.unit === 's' ? row.reference.value.median / row.ours.median : row.ours.median / row.reference.value.median;
      expect(row.ratio, row.workload).toBeCloseTo(expected, 10);
    }
  }, 300_000);

  it('--rounds 2: each round times a workload ours then PyTorch’s; a row pools the samples and takes the median of the rounds’ ratios', () => {
    const r = cli([
      ...['bench', 'gpu', '--backend', 'wasm', '--threads', '1', '--only', 'parity,matmul', '--quick'],
      ...['--rounds', '2', '--repeats', '2', '--steps', '10', '--matmul-size', '32', '--matmul-iters', '1'],
      ...['--torch-device', 'cpu', '--json'],
    ]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      rows: Row[];
      rounds: Pick<Row, 'workload' | 'ours' | 'reference' | 'ratio'>[][];
      torch: { skipped?: string };
    };
    expect(out.rounds.map((round) => round.map((row) => row.workload))).toEqual([
      ['parity', 'matmul'],
      ['parity', 'matmul'],
    ]);
    out.rows.forEach((row, i) => {
      const inRounds = out.rounds.map((round) => round[i] as Row);
      expect(row.ours.samples).toEqual(inRounds.flatMap((x) => x.ours.samples));
      expect(row.ours.samples).toHaveLength(4);
      if (!hasTorch) {
        expect(row.ratio).toBeNull();
        expect(row.ratios).toBeNull();
        return;
      }
      const ratios = inRounds.map((x) => x.ours.median / (x.reference as { value: Stats }).value.median);
      expect(row.ratios?.samples).toEqual(ratios);
      expect(row.ratio).toBeCloseTo((ratios[0] as number) / 2 + (ratios[1] as number) / 2, 10);
      expect(row.reference?.value.samples).toEqual(inRounds.flatMap((x) => x.reference?.value.samples ?? []));
    });
    // Without torch the reference is tried once: a lasting reason, no complaint per workload and round.
    if (!hasTorch) {
      expect(out.torch.skipped).toMatch(/cannot import torch|not found/);
      expect(r.stderr).not.toMatch(/no PyTorch figure/);
    }
  }, 300_000);

  it.skipIf(hasCuda)(
    'says the PyTorch CUDA reference was skipped, and why, when torch cannot use CUDA',
    () => {
      const r = cli([
        'bench',
        'gpu',
        '--backend',
        'wasm',
        '--only',
        'matmul',
        '--matmul-size',
        '32',
        '--matmul-iters',
        '1',
        '--repeats',
        '1',
      ]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^bench gpu on wasm: /m);
      expect(r.stdout).toMatch(/32² fp32 matMul\s+[\d.]+ TFLOP\/s\s+—\s+—/);
      const reason = hasTorch
        ? /PyTorch CUDA reference skipped: torch \S+ (is a CPU-only build|.*sees no CUDA device)/
        : /PyTorch CUDA reference skipped: .*(cannot import torch|not found)/;
      expect(r.stdout).toMatch(reason);
    },
    120_000,
  );

  it('a Python from the environment that is not there is a skipped reference, not an error', () => {
    const r = cli(
      [
        'bench',
        'gpu',
        '--backend',
        'cpu',
        '--only',
        'matmul',
        '--matmul-size',
        '16',
        '--matmul-iters',
        '1',
        '--repeats',
        '1',
        '--json',
      ],
      undefined,
      { env: { LEARNABILITY_PYTHON: '/nonexistent/python3' } },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ torch: { skipped: '/nonexistent/python3 not found' } });
  }, 120_000);

  it('--help lists the workloads and the ratio semantics', () => {
    const r = cli(['bench', 'gpu', '--help']);
    expect(r.code).toBe(0);
    for (const w of ['parity', 'mlp512', 'replicas', 'looped', 'standard', 'matmul', 'run'])
      expect(r.stdout).toMatch(new RegExp(`^  ${w} `, 'm'));
    expect(r.stdout).toMatch(/> 1 always means ours is faster/);
  });

  const bad: [string, string[], RegExp][] = [
    [
      'unknown workload',
      ['--only', 'parity,gpt'],
      /^error: bench gpu: --only: unknown value "gpt"; known: parity, mlp512, replicas, looped, standard, rcnn, rnn, matmul, run; see learnability bench gpu --help$/,
    ],
    [
      'bad scale',
      ['--scale', 'huge'],
      /^error: bench gpu: --scale: expected one of "paper", "small", "plan", but got "huge"; see learnability bench gpu --help$/,
    ],
    [
      // Given by name, it is not skipped quietly (the environment's may be).
      'a --python that does not exist',
      ['--python', '/nonexistent/python3'],
      /^error: bench gpu: --python: \/nonexistent\/python3 does not exist; pass a Python with torch, or leave --python out; see learnability bench gpu --help$/,
    ],
    [
      // Checked before the workloads run, not minutes in.
      'an RCNN n below its k, and a --run-set the run preset refuses',
      ['--rcnn-n', '1', '--run-set', 'foo=1'],
      /^error: bench gpu: --rcnn-n: the RCNN's parity has k = 3 relevant bits, so n must be ≥ 3, but got 1; --run-set: --set foo: unknown key "foo"; known: task, model, trainer, run, learners, backend; see learnability bench gpu --help$/,
    ],
    [
      // Not run, and not written into the JSON plan as if they were.
      'flags the selected workloads would leave unused',
      ['--only', 'matmul', '--no-torch', '--transformer-batch', '7', '--rcnn-steps', '3', '--torch-device', 'cpu'],
      /^error: bench gpu: --transformer-batch sizes looped and standard, which --only matmul does not select; --rcnn-steps sizes rcnn, which --only matmul does not select; --torch-device is for the PyTorch reference, which --no-torch skips; see learnability bench gpu --help$/,
    ],
    [
      'a --run-reference that is --backend itself',
      ['--backend', 'cpu', '--run-reference', 'cpu', '--only', 'run'],
      /^error: bench gpu: --run-reference: cpu is --backend itself, so the run row would compare a backend with itself; pick another backend \(e\.g\. --run-reference wasm\); see learnability bench gpu --help$/,
    ],
    [
      'bad count',
      ['--replicas', '0'],
      /^error: bench gpu: --replicas: expected an integer ≥ 1, but got 0; see learnability bench gpu --help$/,
    ],
  ];
  for (const [title, args, message] of bad) {
    it(`${title}: one line, exit 2`, () => {
      const r = cli(['bench', 'gpu', ...args]);
      expect(r.code).toBe(2);
      const lines = ourStderr(r.stderr);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(message);
    });
  }
});
