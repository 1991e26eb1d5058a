import { parseFlags } from '../args.js';
import { UsageError } from '../cli-error.js';
import { didYouMean } from '../did-you-mean.js';
import type { Io } from '../io.js';
import { benchAlignCommand } from '../bench/align-command.js';
import { benchBackendsCommand } from '../bench/backends-command.js';
import { benchEliminationCommand } from '../bench/elimination-command.js';
import { benchGpuCommand } from '../bench/gpu-command.js';
import { benchThreadsCommand } from '../bench/threads-command.js';
import { benchTrainCommand } from '../bench/train-command.js';
import { benchUnrollCommand } from '../bench/unroll-command.js';

export const BENCH_HELP = `learnability bench <backends | elimination | train | align | gpu | threads | unroll> [options] [--json]

Benchmarks, each a table of medians with the spread (min–max) over repeated runs:
  backends     1024² matMul and a 50→512→512→1 MLP step on every available backend
  elimination  GF(2) elimination at n = 64, 256, 1024, 4096 (m = n + 20), against M4RI and numpy when installed
  train        training steps/s of the sparse-parity model, single and replicated, against PyTorch when installed
  align        steps/s of backprop vs Align-zero, Align-ada, FA and DFA on the same MNIST MLP, with the overhead ratio
  gpu          the GPU workloads (MLPs, replicas, looped/standard GPT-2, matMul, a whole run) against PyTorch CUDA
  threads      a preset's training step at each thread count run times (1, half from 4 cores, all), and whether run's measured choice is the fastest
  unroll       memory and time of one gradient through a T-step RCNN unroll, plain and gradient-checkpointed
Run "learnability bench <name> --help" for each one's options.`;

const SUBCOMMANDS: Record<string, (argv: string[], io: Io) => Promise<number>> = {
  backends: benchBackendsCommand,
  elimination: benchEliminationCommand,
  train: benchTrainCommand,
  align: benchAlignCommand,
  gpu: benchGpuCommand,
  threads: benchThreadsCommand,
  unroll: benchUnrollCommand,
};

export async function benchCommand(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    if (name === undefined)
      throw new UsageError(`bench: missing benchmark name; one of ${Object.keys(SUBCOMMANDS).join(', ')}`);
    parseFlags('bench', [name], {});
    return (io.out(BENCH_HELP), 0);
  }
  const sub = Object.hasOwn(SUBCOMMANDS, name) ? SUBCOMMANDS[name] : undefined;
  if (!sub && name.startsWith('-'))
    throw new UsageError(
      `bench: name a benchmark before its flags (learnability bench <name> ${name}); one of ${Object.keys(SUBCOMMANDS).join(', ')}`,
    );
  if (!sub)
    throw new UsageError(
      `bench: unknown benchmark "${name}"; ${didYouMean(name, Object.keys(SUBCOMMANDS))}one of ${Object.keys(SUBCOMMANDS).join(', ')}`,
    );
  return sub(rest, io);
}
