/**
 * Registry entries for Yang, Lee, Nowak, Papailiopoulos 2023 (docs/papers.md §5): the in-context
 * regression tasks, in-context parity, the looped transformer (and its unlooped baseline) and the
 * truncated-loop Adam trainer with its curricula.
 */
import { defineSchema } from '@learnability/core';
import type { Model, Trainer } from '@learnability/core';
import { createInContextTask, FUNCTION_FAMILIES, inContextSchema } from '@learnability/in-context';
import type { FunctionFamily } from '@learnability/in-context';
import { createLoopedAdam, LOOPED_ADAM_SCHEMA } from '@learnability/looped-adam';
import { createLoopedTransformer, LOOPED_TRANSFORMER_SCHEMA } from '@learnability/looped-transformer';
import type { Readout } from '@learnability/looped-transformer';
import { createInContextParityTask, IN_CONTEXT_PARITY_SCHEMA } from '@learnability/parity';
import { part, taskPart } from '../part-entry.js';
import type { PartEntry, TaskEntry } from '../part-entry.js';
import type { ModelContext, TrainerContext } from '../parts.js';
import type { FieldSpecs } from '@learnability/core';
import type { TaskShape } from '../schema.js';
import { sequenceFor, takesSequences, trainsModels } from './shared.js';

const FAMILY_DOCS: Record<FunctionFamily, string> = {
  'linear-regression': 'y = ⟨w, x⟩, w ~ N(0, I) per prompt',
  'noisy-linear-regression': 'y = ⟨w, x⟩ + N(0, σ²), w ~ N(0, I) per prompt',
  'sparse-linear-regression': 'y = ⟨w, x⟩ with s nonzeros of w ~ N(0, 1) per prompt',
  'decision-tree': 'a random depth-4 tree (split x_j > 0, leaves N(0, 1)) per prompt',
  'relu-net': 'y = √(2/h)·ReLU(xW₁)w₂, W₁, w₂ ~ N(0, 1) per prompt',
};

/** One family's task entry, from the family's schema. */
const inContextTask = <F extends FunctionFamily>(family: F): TaskEntry =>
  taskPart(inContextSchema(family), {
    doc: `in-context ${family.replace(/-/g, ' ')}: ${FAMILY_DOCS[family]}; prompts x₁, [y₁,0…], …, x ~ N(0, I) (Garg et al. 2022; Yang et al. 2023)`,
    shape: (o) => ({
      name: family,
      layout: 'sequence',
      inputShape: [2 * o.points, o.dims],
      outputSize: o.points,
      outputKind: 'real',
    }),
    create: (o) => createInContextTask({ ...o, family }),
  });

export const LOOPED_TASKS: Record<string, TaskEntry> = {
  ...Object.fromEntries(FUNCTION_FAMILIES.map((family) => [family, inContextTask(family)])),
  'in-context-parity': taskPart(IN_CONTEXT_PARITY_SCHEMA, {
    doc: 'every prompt has its own k-subset S: m labelled rows (x ∈ {±1}^n, y) and a query row with label 0; predict the query label',
    shape: (o) => ({
      name: 'in-context-parity',
      layout: 'sequence',
      inputShape: [o.examples + 1, o.n + 1],
      outputSize: 1,
      outputKind: 'sign',
    }),
    create: (o) => createInContextParityTask(o),
  }),
};

const tokensOf = (task: TaskShape) => task.inputShape[0] ?? 0;

/**
 * `interleaved` for x, y-pair prompts (the in-context function families: 2P tokens, P targets),
 * `last` for a single query target; null: no guess. The task decides, not the shape alone: a
 * one-point regression prompt and in-context parity's one example and query both have 2 tokens
 * and 1 output, and the parity query's label is read at its last row.
 */
function readoutFor(task: TaskShape, asked: unknown): Readout | null {
  if (asked === 'interleaved' || asked === 'last') return asked;
  const pairs = (FUNCTION_FAMILIES as readonly string[]).includes(task.name);
  if (pairs && task.outputSize * 2 === tokensOf(task)) return 'interleaved';
  return task.outputSize === 1 ? 'last' : null;
}
const noReadout = (task: TaskShape) =>
  `cannot infer a readout for task "${task.name}" (${tokensOf(task)} tokens, ${task.outputSize} outputs); set "interleaved" or "last"`;

/** The model's own options, plus where to read predictions: `auto` picks it from the task. */
const LOOPED_MODEL_FIELDS = {
  ...LOOPED_TRANSFORMER_SCHEMA.fields,
  readout: {
    type: 'enum',
    values: ['auto', 'interleaved', 'last'],
    default: 'auto',
    doc: 'predictions at every x token (interleaved) or the last token; auto picks from the task',
  },
} as const satisfies FieldSpecs;
const LOOPED_MODEL_SCHEMA = defineSchema<typeof LOOPED_MODEL_FIELDS>(
  LOOPED_MODEL_FIELDS,
  LOOPED_TRANSFORMER_SCHEMA.checks,
);

export const LOOPED_MODELS: Record<string, PartEntry<Model, ModelContext>> = {
  'looped-transformer': part(LOOPED_MODEL_SCHEMA, {
    doc: 'GPT-2 pre-LN transformer looped b times with input injection (Yang et al. 2023); layers L, loops 1 is the standard transformer; sequence tasks',
    taskChecks: [
      takesSequences('looped-transformer'),
      {
        paths: ['readout'],
        test: (o, task) => readoutFor(task, o.readout) !== null,
        message: (_o, task) => noReadout(task),
      },
      {
        paths: ['readout'],
        test: (o, task) => readoutFor(task, o.readout) !== 'interleaved' || tokensOf(task) === 2 * task.outputSize,
        message: (_o, task) =>
          `the interleaved readout needs 2P tokens (x, y pairs) for P outputs, but task "${task.name}" has ${tokensOf(task)} tokens and ${task.outputSize} outputs; use "last"`,
      },
      {
        paths: ['readout'],
        test: (o, task) => readoutFor(task, o.readout) !== 'last' || task.outputSize === 1,
        message: (_o, task) =>
          `the last-token readout gives 1 output, but task "${task.name}" has ${task.outputSize}; use "interleaved"`,
      },
    ],
    create: (o, { task, replicas }) => {
      const [tokens, tokenSize] = sequenceFor('looped-transformer', task);
      const readout = readoutFor(task, o.readout);
      if (readout === null) throw new Error(`model "looped-transformer": ${noReadout(task)}`);
      return createLoopedTransformer({ ...o, tokens, tokenSize, readout, replicas });
    },
  }),
};

export const LOOPED_TRAINERS: Record<string, PartEntry<Trainer, TrainerContext>> = {
  'looped-adam': part(LOOPED_ADAM_SCHEMA, {
    doc: 'Adam on the loss averaged over the last T loop iterations (the first b − T without gradient), with loop and points curricula (Yang et al. 2023)',
    modelChecks: [trainsModels('looped-adam', ['looped-transformer'], 'use the adam trainer for other models')],
    // At the config's edge, as the trainer refuses it at init: its prefixes are of (x, y) pairs.
    taskChecks: [
      {
        paths: ['pointsStart'],
        test: (o, task) => o.pointsStart === null || readoutFor(task, 'auto') === 'interleaved',
        message: (_o, task) =>
          `the points curriculum trains on the first p (x, y) pairs of each prompt, but task "${task.name}" is read out at its last token; leave pointsStart null`,
      },
    ],
    create: (o) => createLoopedAdam(o),
  }),
};
