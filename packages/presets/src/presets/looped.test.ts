import type { ConfigError } from '@learnability/core';
import type { InContextTask } from '@learnability/in-context';
import { blockParamCount, isLoopedTransformer } from '@learnability/looped-transformer';
import type { LoopedAdamTrainer } from '@learnability/looped-adam';
import type { LoopedTransformerModel } from '@learnability/looped-transformer';
import { describe, expect, it } from 'vitest';
import { resolve } from '../resolve.js';
import { validateConfig } from '../validate.js';
import { LOOPED_PRESETS } from './looped.js';

const resolved = (name: string) => {
  const preset = LOOPED_PRESETS.find((p) => p.name === name);
  if (!preset) throw new Error(`no preset ${name}`);
  return resolve(validateConfig(preset.config));
};

describe('looped-transformer presets', () => {
  it('every preset resolves to a looped transformer, looped-adam and an in-context task', () => {
    for (const p of LOOPED_PRESETS) {
      const { model, trainer, task } = resolved(p.name);
      expect(model && isLoopedTransformer(model), p.name).toBe(true);
      expect(trainer?.name).toBe('looped-adam');
      expect(task.layout).toBe('sequence');
    }
  });

  it('paper scale: 12 blocks of 12D² + 13D at D = 256 (9.48M) vs one looped block (0.79M), with the paper’s curricula', () => {
    const standard = resolved('standard-linear-regression').model as LoopedTransformerModel;
    const looped = resolved('looped-linear-regression');
    const model = looped.model as LoopedTransformerModel;
    expect(standard.config.layers * blockParamCount(256)).toBe(9_477_120);
    expect(model.config.layers * blockParamCount(256)).toBe(789_760);
    expect([model.config.loops, (looped.task as InContextTask).dims, (looped.task as InContextTask).points]).toEqual([
      20, 20, 41,
    ]);
    const trainer = looped.trainer as LoopedAdamTrainer;
    expect(trainer.config.lossLoops).toBe(15);
    trainer.init(model, {});
    expect(trainer.planAt(0)).toEqual({ loops: 15, lossLoops: 15, points: 11 });
    expect(trainer.planAt(1_000)).toEqual({ loops: 19, lossLoops: 15, points: 11 });
    // Points +2 every 5,000 steps (the authors' configs): 41 after 15 increments.
    expect(trainer.planAt(74_999)).toEqual({ loops: 20, lossLoops: 15, points: 39 });
    expect(trainer.planAt(75_000)).toEqual({ loops: 20, lossLoops: 15, points: 41 });
    const tree = resolved('looped-decision-tree');
    const treeTrainer = tree.trainer as LoopedAdamTrainer;
    treeTrainer.init(tree.model as LoopedTransformerModel, {});
    expect([
      (tree.task as InContextTask).points,
      treeTrainer.planAt(0).points,
      treeTrainer.planAt(5_000).points,
    ]).toEqual([101, 26, 31]);
    // Trees train on all 20 dims from the first step: the authors' task ignores the dims curriculum.
    expect((tree.task as InContextTask).config.dimsCurriculum).toBeNull();
    expect((looped.task as InContextTask).config.dimsCurriculum).toEqual({ start: 5, increment: 1, interval: 5_000 });
  });

  it('the looped transformer reads in-context parity prompts at the last token', () => {
    const { model, task } = resolve(
      validateConfig({
        task: { name: 'in-context-parity', n: 6, k: 2, examples: 10 },
        model: { name: 'looped-transformer', embedSize: 16, heads: 2, loops: 3 },
        trainer: { name: 'looped-adam' },
      }),
    );
    expect(model && isLoopedTransformer(model) && model.config.readout).toBe('last');
    expect([model?.inputShape, model?.outputSize]).toEqual([task.inputShape, 1]);
  });

  it('tells a 2-token parity prompt (one example, the query) from a one-point regression prompt', () => {
    const readout = (task: Record<string, unknown>) => {
      const { model } = resolve(
        validateConfig({
          task,
          model: { name: 'looped-transformer', embedSize: 8, heads: 2, loops: 2 },
          trainer: { name: 'looped-adam' },
        }),
      );
      return model && isLoopedTransformer(model) && model.config.readout;
    };
    // Both have 2 tokens and 1 output; the parity label is the query's, on the last row (it read the example's row).
    expect(readout({ name: 'in-context-parity', n: 4, k: 2, examples: 1 })).toBe('last');
    expect(readout({ name: 'linear-regression', dims: 3, points: 1 })).toBe('interleaved');
  });

  it('rejects bad looped options with their paths', () => {
    try {
      validateConfig({
        task: { name: 'linear-regression', dims: 0 },
        model: { name: 'looped-transformer', loops: 0 },
        trainer: { name: 'looped-adam', lossLoops: 1.5 },
      });
      expect.unreachable();
    } catch (e) {
      expect((e as ConfigError).issues.map((i) => i.path)).toEqual(['task.dims', 'model.loops', 'trainer.lossLoops']);
    }
  });
});
