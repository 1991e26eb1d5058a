import { BACKEND_REQUESTS as SET_UP } from '@learnability/backends';
import { ConfigError, defaultsOf } from '@learnability/core';
import { describe, expect, it } from 'vitest';
import { applyOverrides, expandExtends } from './overrides.js';
import { MODELS, TASKS } from './parts.js';
import { PRESETS, getPreset } from './presets.js';
import { resolve } from './resolve.js';
import type { FieldSpecs, Options } from '@learnability/core';
import { BACKEND_REQUESTS, optionsOf, RUN_FIELDS, validateConfig } from './validate.js';

const issuesOf = (raw: unknown): string[] => {
  try {
    validateConfig(raw);
  } catch (e) {
    if (e instanceof ConfigError) return e.issues.map((i) => `${i.path}: ${i.message}`);
    throw e;
  }
  return [];
};

describe('validateConfig', () => {
  it('accepts every preset and fills every default', () => {
    for (const p of PRESETS) {
      const c = validateConfig(p.config);
      expect(c.run.learnedThreshold).toBe(0.99);
      expect(c.backend).toBe('auto');
    }
    const c = validateConfig(getPreset('sparse-parity').config);
    expect(c.model).toEqual({
      name: 'dense',
      widths: [1000],
      activation: 'relu',
      degree: 3,
      parameterization: 'standard',
      init: 'torch-linear',
      bias: 'zero',
    });
    expect(c.trainer).toEqual({ name: 'sgd', lr: 0.1, momentum: 0, weightDecay: 0.01, loss: 'hinge' });
  });

  it('reports every problem at once, each with its path, the expectation and a hint', () => {
    const issues = issuesOf({
      task: { name: 'sparse-parity', n: 'fifty', k: 3 },
      model: { name: 'dense', widht: [10] },
      trainer: { name: 'sgd', lr: -1 },
      run: { replicas: 0, steps: 1.5 },
      backend: 'tpu',
      colour: 'red',
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        'task.n: expected an integer in [1, 1048576], but got "fifty"',
        expect.stringMatching(/^model\.widht: unknown option "widht"; did you mean "widths"\?/),
        'trainer.lr: expected a number > 0, but got -1',
        'run.replicas: expected an integer in [1, 1024], but got 0',
        'run.steps: expected an integer in [0, 1099511627776], but got 1.5',
        'backend: expected one of "auto", "cpu", "wasm", "webgpu", but got "tpu"',
        expect.stringMatching(/^colour: unknown key "colour"/),
      ]),
    );
    expect(issues).toHaveLength(7);
  });

  it("refuses a test set or training set past a finite dataset's pools, where examples would repeat", () => {
    const mnist = (testPool: number, run: object) => ({
      task: { name: 'mnist', testPool },
      model: { name: 'dense' },
      trainer: { name: 'sgd', loss: 'mse' },
      run,
    });
    expect(issuesOf(mnist(2000, { testSize: 5000, trainSetSize: 9000, batchSize: 50 }))).toEqual([
      'run.testSize: a test set of 5000 needs as many distinct held-out examples, but task mnist holds out 2000; lower run.testSize or raise task.testPool',
      'run.trainSetSize: a training set of 9000 needs as many distinct examples, but task mnist trains from 8000; lower run.trainSetSize or task.testPool',
    ]);
    // At the pools' sizes exactly, and a task drawn fresh (sparse parity) at any size.
    expect(issuesOf(mnist(1000, { testSize: 1000, trainSetSize: 9000, batchSize: 50 }))).toEqual([]);
    expect(
      issuesOf({
        task: { name: 'sparse-parity' },
        learners: [{ name: 'gf2-elimination' }],
        run: { testSize: 10 ** 6 },
      }),
    ).toEqual([]);
  });

  it('rejects unknown part names, a batch larger than the training set, and a run with nothing to train', () => {
    expect(issuesOf({ task: { name: 'sparse-parity' }, model: { name: 'mlp' }, trainer: { name: 'sgd' } })).toEqual([
      expect.stringMatching(/^model\.name: unknown name "mlp"; known: dense/),
    ]);
    expect(
      issuesOf({
        task: { name: 'sparse-parity' },
        model: { name: 'dense' },
        trainer: { name: 'sgd' },
        run: { trainSetSize: 10, batchSize: 32 },
      }),
    ).toEqual(['run.batchSize: must be ≤ run.trainSetSize (10), but got 32']);
    expect(issuesOf({ task: { name: 'sparse-parity' } })).toEqual([
      'model: a run needs a model and trainer, or at least one learner',
    ]);
    // Replicas copy a network: a learners-only run has none, so a count past 1 would change nothing.
    const learnersOnly = { task: { name: 'sparse-parity' }, learners: [{ name: 'gf2-elimination' }] };
    expect(issuesOf({ ...learnersOnly, run: { replicas: 4 } })).toEqual([
      'run.replicas: copies the network, but this run has none (learners only, each run once), so 4 would change nothing; drop run.replicas or add a model and trainer',
    ]);
    expect(issuesOf({ ...learnersOnly, run: { replicas: 1 } })).toEqual([]);
    // A missing part is called missing ("but got undefined" named a JavaScript value).
    expect(issuesOf({ model: { name: 'dense' }, trainer: { name: 'sgd' } })).toEqual([
      'task: missing: expected an object like {"name": "sparse-parity"}',
    ]);
    expect(issuesOf({ task: 3, model: { name: 'dense' }, trainer: { name: 'sgd' } })).toEqual([
      'task: expected an object like {"name": "sparse-parity"}, but got 3',
    ]);
    // A part without its name (it said: unknown name "undefined").
    expect(issuesOf({ task: { name: 'sparse-parity' }, model: { widths: [8] }, trainer: { name: 'sgd' } })).toEqual([
      'model.name: missing: expected one of dense, rnn, looped-transformer, rcnn (a config names its parts, or extends a preset that does)',
    ]);
  });

  it('ConfigError.message joins the issues on one line', () => {
    expect(() =>
      validateConfig({ task: { name: 'sparse-parity', k: -1 }, learners: [{ name: 'gf2-elimination' }] }),
    ).toThrow(/^task\.k: expected an integer ≥ 0, but got -1$/);
  });
});

describe('null is a value, not a missing key', () => {
  it('run, learners and backend given as null are refused; left out they take their defaults', () => {
    // Until 2026-12-06 {"extends": "sparse-parity", "run": null} ran with the default run (1 replica,
    // 20,000 steps), silently dropping the preset's.
    expect(() => validateConfig({ extends: 'sparse-parity', run: null })).toThrow(
      'run: expected an object like {"steps": 1000}, or no run key for the defaults, but got null',
    );
    expect(() => validateConfig({ extends: 'sparse-parity', learners: null })).toThrow(
      'learners: expected a list like [{"name": "gf2-elimination"}], but got null',
    );
    // A name that is no string was String()-ed: ["dense"] read as "dense".
    expect(() => validateConfig({ extends: 'sparse-parity', model: { name: ['dense'], widths: [10] } })).toThrow(
      /^model\.name: expected a string, one of dense, .*, but got \["dense"\]$/,
    );
    // Two of one kind shared one verdict and one checkpointed state (a run keeps them by name).
    const twice = [{ name: 'gf2-elimination' }, { name: 'gf2-elimination' }];
    expect(() => validateConfig({ extends: 'sparse-parity', learners: twice })).toThrow(
      /^learners\[1\]: "gf2-elimination" is listed twice; list each learner once$/,
    );
    expect(() => validateConfig({ extends: 'sparse-parity', backend: null })).toThrow(
      'backend: expected one of "auto", "cpu", "wasm", "webgpu", but got null',
    );
    const { run, learners, ...parts } = getPreset('sparse-parity').config as Record<string, unknown>;
    expect(validateConfig(parts).run).toEqual(defaultsOf({ fields: RUN_FIELDS, checks: [] }));
    expect(validateConfig(parts).backend).toBe('auto');
    expect(validateConfig(parts).learners).toEqual([]);
    expect(run && learners).toBeTruthy();
  });
});

describe('overrides and extends', () => {
  it('--set parses JSON values and creates missing objects', () => {
    const out = applyOverrides({ model: { name: 'dense' } }, [
      'model.widths=[64,64]',
      'trainer.lr=0.05',
      'task.name=sparse-parity',
      'run.trainSetSize=null',
    ]);
    expect(out).toEqual({
      model: { name: 'dense', widths: [64, 64] },
      trainer: { lr: 0.05 },
      task: { name: 'sparse-parity' },
      run: { trainSetSize: null },
    });
    expect(() => applyOverrides({}, ['lr'])).toThrow('--set: expected path=value like trainer.lr=0.05, but got "lr"');
  });

  it('--set reads numbers JSON does not spell as numbers, and names the shell when a list or object lost its quotes', () => {
    const lrs = ['.05', '5.', '+0.1', '-.5', '1E-3'].map(
      (v) => (applyOverrides({}, [`trainer.lr=${v}`]) as { trainer: { lr: unknown } }).trainer.lr,
    );
    expect(lrs).toEqual([0.05, 5, 0.1, -0.5, 0.001]);
    expect(applyOverrides({}, ['run.seed=007'])).toEqual({ run: { seed: 7 } });
    // Text that is no number stays a string, for the schema to judge.
    expect(applyOverrides({}, ['task.name=1.2.3', 'model.activation=relu'])).toEqual({
      task: { name: '1.2.3' },
      model: { activation: 'relu' },
    });
    // `--set learners=[{"name":"gf2-elimination"}]` unquoted reaches the CLI as below.
    expect(() => applyOverrides({}, ['learners=[{name:gf2-elimination}]'])).toThrow(
      /^--set learners: \[\{name:gf2-elimination\}\] is not JSON \(.+\); a shell drops the double quotes of an unquoted word, so quote the whole assignment: --set 'learners=\[…\]' with the JSON's quotes inside$/,
    );
    // Quoted, or with no word to have been quoted (a list of numbers cut short): the JSON's error
    // alone, no word of a shell.
    expect(() => applyOverrides({}, ['learners=[{"name":"gf2-elimination"},]'])).toThrow(
      /^--set learners: \[\{"name":"gf2-elimination"\},\] is not JSON \([^)]+\)$/,
    );
    for (const cut of ['[64,64,]', '[64', '[1e-3, true,'])
      expect(() => applyOverrides({}, [`model.widths=${cut}`])).toThrow(/is not JSON \([^)]+\)$/);
  });

  it('--set <part>.name renames the part, keeping the options the new part has; the last assignment wins', () => {
    const dense = { name: 'dense', widths: [64], activation: 'relu', init: 'torch-linear' };
    // Until 2026-12-06 the MLP's widths, activation and init stayed, and an RCNN refused all three.
    expect(applyOverrides({ model: dense }, ['model.name=rcnn'])).toEqual({ model: { name: 'rcnn' } });
    const config = validateConfig(applyOverrides(getPreset('sparse-parity').config, ['model.name=rcnn']));
    expect(config.model?.name).toBe('rcnn');
    // Options both parts have stay (Align's rules share a learning rate), one set before the rename too.
    const sgd = { name: 'sgd', lr: 0.1, weightDecay: 0.01, loss: 'hinge' };
    expect(applyOverrides({ trainer: sgd }, ['trainer.name=noisy-gd'])).toEqual({
      trainer: { name: 'noisy-gd', lr: 0.1, loss: 'hinge' },
    });
    expect(applyOverrides({ trainer: sgd }, ['trainer.lr=0.01', 'trainer.name=noisy-gd'])).toMatchObject({
      trainer: { name: 'noisy-gd', lr: 0.01 },
    });
    // In written order: a whole part set before a rename is renamed; one set after replaces it.
    const whole = 'model={"name":"dense","widths":[8]}';
    expect(applyOverrides({ model: dense }, [whole, 'model.name=rcnn'])).toEqual({ model: { name: 'rcnn' } });
    expect(applyOverrides({ model: dense }, ['model.name=rcnn', whole])).toEqual({
      model: { name: 'dense', widths: [8] },
    });
    // The part's own name, an unknown name (validation names it), a value that names a part under
    // another key, and a path that is no part's change only that value.
    expect(applyOverrides({ trainer: sgd }, ['trainer.loss=adam'])).toEqual({ trainer: { ...sgd, loss: 'adam' } });
    expect(applyOverrides({ trainer: sgd }, ['trainer.name=sgd'])).toEqual({ trainer: sgd });
    expect(applyOverrides({ trainer: sgd }, ['trainer.name=sgdd'])).toEqual({ trainer: { ...sgd, name: 'sgdd' } });
    expect(applyOverrides({ run: { name: 'x', y: 1 } }, ['run.name=z'])).toEqual({ run: { name: 'z', y: 1 } });
    const learners = { learners: [{ name: 'gf2-elimination', extra: 1 }] };
    expect(applyOverrides(learners, ['learners.0.name=gf2-elimination'])).toEqual(learners);
  });

  it('extends merges a preset under the file, replacing lists', () => {
    const raw = expandExtends({ extends: 'sparse-parity', model: { widths: [64] }, run: { steps: 10 } }) as Record<
      string,
      Record<string, unknown>
    >;
    expect(raw.model).toEqual({ name: 'dense', widths: [64], activation: 'relu', init: 'torch-linear' });
    expect(raw.run?.steps).toBe(10);
    expect(raw.run?.batchSize).toBe(32);
  });

  it("extends replaces a part the file renames, keeping none of the old part's options", () => {
    const raw = expandExtends({ extends: 'sparse-parity', trainer: { name: 'align-ada' } }) as Record<string, unknown>;
    expect(raw.trainer).toEqual({ name: 'align-ada' });
    // Validated, the preset's SGD options (weightDecay, loss) were unknown options of Align-ada.
    expect(validateConfig(raw).trainer).toMatchObject({ name: 'align-ada', gate: 'current' });
    // The same name merges as before.
    const same = expandExtends({ extends: 'sparse-parity', trainer: { name: 'sgd', lr: 0.5 } }) as Record<
      string,
      unknown
    >;
    expect(same.trainer).toEqual({ ...(getPreset('sparse-parity').config.trainer as object), lr: 0.5 });
  });

  it('applyOverrides expands extends first, so a rename keeps the preset options the new part has', () => {
    // Applied to {extends} alone, the rename started adam from its defaults, and widths.0 found no list.
    const renamed = validateConfig(applyOverrides({ extends: 'sparse-parity' }, ['trainer.name=adam']));
    expect(renamed.trainer).toMatchObject({ name: 'adam', lr: 0.1, weightDecay: 0.01, loss: 'hinge' });
    const indexed = validateConfig(applyOverrides({ extends: 'sparse-parity' }, ['model.widths.0=64']));
    expect(indexed.model).toMatchObject({ widths: [64] });
  });

  it('validateConfig expands extends itself', () => {
    // It accepted the key and never expanded it: task.name: unknown name "undefined".
    const config = validateConfig({ extends: 'sparse-parity', task: { n: 30 } });
    expect([config.task.name, config.model?.name, (config.task as { n?: number }).n]).toEqual([
      'sparse-parity',
      'dense',
      30,
    ]);
    expect(() => validateConfig({ extends: 'sparse-parrity' })).toThrow('extends: unknown preset "sparse-parrity"');
  });

  it('extends takes only a preset name, and says so', () => {
    const names = PRESETS.map((p) => p.name).join(', ');
    expect(() => expandExtends({ extends: '/some/file.json' })).toThrow(
      new ConfigError([
        {
          path: 'extends',
          message: `unknown preset "/some/file.json"; known: ${names}; only a preset can be extended, not a config file (copy its keys instead)`,
        },
      ]),
    );
    expect(() => expandExtends({ extends: 'sparse-parrity' })).toThrow(
      'extends: unknown preset "sparse-parrity"; did you mean "sparse-parity"? known: sparse-parity, ',
    );
    // getPreset backs callers that take no file (the lab's ?preset=), so it offers none either.
    expect(() => getPreset('/some/file.json')).toThrow(
      new Error(`unknown preset "/some/file.json"; known presets: ${names}`),
    );
    // Not a string was silently ignored (validateConfig allows the key).
    expect(() => expandExtends({ extends: 5 })).toThrow(
      new ConfigError([{ path: 'extends', message: 'expected a preset name like "sparse-parity", but got 5' }]),
    );
  });

  it('--set refuses extends and description, which nothing reads after the config is loaded', () => {
    const config = getPreset('sparse-parity').config;
    const refused = (set: string) => () => applyOverrides(config, [set]);
    expect(refused('extends=noisy-gd-parity')).toThrow(
      new ConfigError([
        {
          path: '--set extends',
          message:
            "the preset is resolved before --set applies; name it as the command's argument (learnability run noisy-gd-parity)",
        },
      ]),
    );
    expect(refused('extends=5')).toThrow(
      "--set extends: the preset is resolved before --set applies; name it as the command's argument (learnability run <preset>)",
    );
    expect(refused('description=a')).toThrow(
      new ConfigError([
        {
          path: '--set description',
          message: 'a description does not change a run, so setting it has no effect; drop this --set',
        },
      ]),
    );
  });

  it('refuses a task seed past 2³¹: from 2³² the 32-bit generator would fold it onto a smaller one', () => {
    const base = getPreset('sparse-parity').config as Record<string, unknown>;
    expect(validateConfig(applyOverrides(base, ['task.seed=2147483648'])).task).toMatchObject({ seed: 2 ** 31 });
    expect(() => validateConfig(applyOverrides(base, ['task.seed=2147483649']))).toThrow(/^task\.seed: expected/);
    expect(() => validateConfig(applyOverrides(base, ['task.seed=4294967296']))).toThrow(
      /^task\.seed: expected an integer in \[0, 2147483648\], but got 4294967296$/,
    );
  });

  it('refuses names and keys that every object has (toString, __proto__), which are no part or option', () => {
    const base = getPreset('sparse-parity').config as Record<string, unknown>;
    expect(() => validateConfig({ ...base, task: { name: 'toString' } })).toThrow(
      /^task\.name: unknown name "toString"/,
    );
    expect(() => validateConfig(JSON.parse('{"extends":"sparse-parity","run":{"toString":1,"__proto__":{}}}'))).toThrow(
      /^run\.toString: unknown option "toString".*; run\.__proto__: unknown option "__proto__"/,
    );
    expect(() => validateConfig(applyOverrides(base, ['run.__proto__=1']))).toThrow(/^run\.__proto__: unknown option/);
    // The one issue: a trainer's check against the model must not take "toString" for a model either.
    const pathsOf = (sets: string[]) => {
      try {
        validateConfig(applyOverrides(base, sets));
      } catch (e) {
        return (e as ConfigError).issues.map((i) => i.path);
      }
      return [];
    };
    expect(pathsOf(['trainer={"name":"fa"}', 'model.name=toString'])).toEqual(['model.name']);
    expect(() => validateConfig(applyOverrides(base, ['model.name=toString']))).toThrow(
      /^model\.name: unknown name "toString"/,
    );
  });

  it('--set names the keys it reaches when the first one is unknown, not extends or description', () => {
    expect(() => applyOverrides(getPreset('sparse-parity').config, ['trainr.lr=0.1'])).toThrow(
      new ConfigError([
        {
          path: '--set trainr.lr',
          message: 'unknown key "trainr"; did you mean "trainer"? known: task, model, trainer, run, learners, backend',
        },
      ]),
    );
  });

  it('--set replaces one element of a list the config holds', () => {
    const out = applyOverrides(getPreset('sparse-parity').config, [
      'model.widths.0=64',
      'learners.0.name=gf2-elimination',
    ]);
    expect(out.model).toEqual({ name: 'dense', widths: [64], activation: 'relu', init: 'torch-linear' });
    expect(out.learners).toEqual([{ name: 'gf2-elimination' }]);
    expect(validateConfig(out).model?.widths).toEqual([64]);
    expect(applyOverrides({ model: { widths: [8, 8, 8] } }, ['model.widths.02=4']).model).toEqual({
      widths: [8, 8, 4],
    });
  });

  it('--set into a list past its end, or into a value that is no object, is a one-line error with the fix', () => {
    const config = getPreset('sparse-parity').config;
    const issue = (set: string, raw: Record<string, unknown> = config) => {
      try {
        applyOverrides(raw, [set]);
      } catch (e) {
        if (e instanceof ConfigError) return e.message;
        throw e;
      }
      return 'no error';
    };
    expect(issue('model.widths.1=64')).toBe(
      "--set model.widths.1: model.widths is a list of length 1, so 1 is not one of its indexes (they start at 0); set the whole list instead, like --set 'model.widths=[1000,64]'",
    );
    expect(issue('learners.1.name=gf2-elimination')).toBe(
      `--set learners.1.name: learners is a list of length 1, so 1 is not one of its indexes (they start at 0); set the whole list instead, like --set 'learners=[{"name":"gf2-elimination"},{"name":"gf2-elimination"}]'`,
    );
    expect(issue('model.widths.first=64')).toBe(
      "--set model.widths.first: model.widths is a list of length 1, so first is not one of its indexes (they start at 0); set the whole list instead, like --set 'model.widths=[1000,64]'",
    );
    expect(issue('model.widths.0=64', { model: { name: 'dense' } })).toBe(
      "--set model.widths.0: model.widths is not set, so it has no index 0; set the whole list instead, like --set 'model.widths=[64]'",
    );
    expect(issue('trainer.lr.x=1')).toBe(
      '--set trainer.lr.x: trainer.lr is 0.1, which has no "x"; set trainer.lr itself',
    );
  });

  it('resolve validates what it is given: a raw config gets its defaults, an option in the wrong place is refused', () => {
    for (const preset of PRESETS) {
      const valid = validateConfig(preset.config);
      expect(validateConfig(valid), preset.name).toEqual(valid);
    }
    expect(
      resolve({ task: { name: 'sparse-parity', n: 12 }, learners: [{ name: 'gf2-elimination' }] } as never).task
        .inputShape,
    ).toEqual([12]);
    expect(() => resolve({ task: { name: 'sparse-parity', options: { n: 20 } } } as never)).toThrow(
      /^task\.options: unknown option "options"/,
    );
  });

  it('resolve builds the parts a config names', () => {
    const run = resolve(
      validateConfig(applyOverrides(getPreset('sparse-parity').config, ['model.widths=[8]', 'run.replicas=2'])),
    );
    expect(run.task.inputShape).toEqual([50]);
    expect(run.model?.replicas).toBe(2);
    expect(run.model?.paramCount).toBe(50 * 8 + 8 + 8 + 1);
    expect(run.trainer?.name).toBe('sgd');
    expect(run.learners?.map((l) => l.name)).toEqual(['gf2-elimination']);
  });
});

const run = (task: object, model: object, trainer: object = { name: 'adam' }) => issuesOf({ task, model, trainer });

describe('cross-field checks in validateConfig', () => {
  it('reports three errors at once, one of them cross-field (heads ∤ embedSize), each with its path', () => {
    expect(
      run(
        { name: 'linear-regression', dims: 0 },
        { name: 'looped-transformer', embedSize: 100, heads: 3 },
        { name: 'looped-adam', lr: -1 },
      ),
    ).toEqual([
      'task.dims: expected an integer ≥ 1, but got 0',
      'model.heads: heads (3) must divide embedSize (100)',
      'trainer.lr: expected a number > 0, but got -1',
    ]);
  });

  it('checks a model against the task it will read', () => {
    const lr = { name: 'linear-regression', dims: 4, points: 5 };
    expect(run(lr, { name: 'dense' })).toEqual([
      'model: model "dense" takes vector tasks, but task "linear-regression" is a sequence task [10, 4]; pick a model for sequence tasks',
    ]);
    expect(run({ name: 'sparse-parity' }, { name: 'looped-transformer' })).toEqual([
      'model: model "looped-transformer" needs a sequence task with inputShape [T, d], but task "sparse-parity" has [50]',
    ]);
    expect(run({ name: 'in-context-parity' }, { name: 'looped-transformer', readout: 'interleaved' })).toEqual([
      'model.readout: the interleaved readout needs 2P tokens (x, y pairs) for P outputs, but task "in-context-parity" has 21 tokens and 1 outputs; use "last"',
    ]);
    expect(run(lr, { name: 'looped-transformer', readout: 'last' })).toEqual([
      'model.readout: the last-token readout gives 1 output, but task "linear-regression" has 5; use "interleaved"',
    ]);
    // A points curriculum on a last-token task, refused here as the trainer refuses it at init.
    expect(
      run({ name: 'in-context-parity' }, { name: 'looped-transformer' }, { name: 'looped-adam', pointsStart: 2 }),
    ).toEqual([
      'trainer.pointsStart: the points curriculum trains on the first p (x, y) pairs of each prompt, but task "in-context-parity" is read out at its last token; leave pointsStart null',
    ]);
    expect(run({ name: 'in-context-parity' }, { name: 'rnn' })).toEqual([
      'model: model "rnn": task "in-context-parity" has 1 outputs, not a multiple of its 21 steps',
    ]);
    expect(run({ name: 'sparse-parity', n: 8 }, { name: 'rcnn', kernelSize: 4, gridWidth: 3 })).toEqual([
      'model.kernelSize: must be odd (a centred k×k filter), but got 4',
      'model.gridWidth: must be ≥ the 8 input columns of task "sparse-parity" (or null), but got 3',
    ]);
    expect(run({ name: 'sparse-parity' }, { name: 'rcnn' }, { name: 'fa' })).toEqual([
      'trainer: trainer "fa" trains "dense" or "rnn" models, but the model is "rcnn"; use sgd or adam for other models',
    ]);
    expect(run({ name: 'sparse-parity' }, { name: 'dense' }, { name: 'looped-adam' })).toEqual([
      'trainer: trainer "looped-adam" trains "looped-transformer" models, but the model is "dense"; use the adam trainer for other models',
    ]);
    expect(issuesOf({ task: { name: 'boolean-target' }, learners: [{ name: 'gf2-elimination' }] })).toEqual([
      'learners[0]: learner "gf2-elimination" needs a sparse-parity task, but the task is "boolean-target"',
    ]);
  });

  it('checks fields of one part against each other', () => {
    expect(
      run({ name: 'sparse-parity', n: 5, k: 9 }, { name: 'dense', init: 'torch-linear', parameterization: 'ntk' }),
    ).toEqual([
      'task.k: must be ≤ n (5), but got 9',
      'model.init: "torch-linear" needs parameterization "standard"; the NTK parameterisation keeps W ~ N(0, 1)',
    ]);
    expect(run({ name: 'boolean-target', family: 'threshold', k: 2, t: 3 }, { name: 'dense' })).toEqual([
      'task.t: the threshold must be ≤ k (2), but got 3',
    ]);
    expect(run({ name: 'boolean-target', family: 'majority', k: 4 }, { name: 'dense' })).toEqual([
      'task.k: majority needs an odd number of bits (or 0: all n), but got 4',
    ]);
    expect(run({ name: 'sparse-linear-regression', dims: 4, sparsity: 5, dimsStart: 6 }, { name: 'rnn' })).toEqual([
      'task.dimsStart: the first curriculum step must be ≤ dims (4), but got 6',
      'task.sparsity: the nonzeros of w must be ≤ dims (4), but got 5',
    ]);
  });

  it('each task entry says what its task looks like without building it (the shape model checks read)', () => {
    const configs = [
      ...Object.keys(TASKS).map((name) => ({ name })),
      ...PRESETS.map((p) => validateConfig(p.config).task),
    ];
    for (const part of configs) {
      const config = validateConfig({ task: part, learners: [], model: { name: 'rcnn' }, trainer: { name: 'adam' } });
      const entry = TASKS[config.task.name];
      const task = resolve(config).task;
      expect(entry?.shape(optionsOf(config.task)), part.name).toEqual({
        name: task.name,
        layout: task.layout,
        inputShape: task.inputShape,
        outputSize: task.outputSize,
        outputKind: task.outputKind,
      });
    }
  });

  it('refuses a loss that reads targets as signs on a task whose targets are not (it trained towards nothing the task scores)', () => {
    const withLoss = (task: object, trainer: object) =>
      run(task, { name: 'dense' }, trainer).filter((m) => m.startsWith('trainer.'));
    expect(withLoss({ name: 'mnist' }, { name: 'sgd', loss: 'hinge' })).toEqual([
      'trainer.loss: "hinge" reads targets as signs ±1, but task "mnist" has one-hot class targets; use loss "mse" (hinge is the default of sgd and noisy-gd)',
    ]);
    expect(withLoss({ name: 'linear-regression' }, { name: 'noisy-gd', loss: 'correlation' })).toEqual([
      'trainer.loss: "correlation" reads targets as signs ±1, but task "linear-regression" has real-valued targets; use loss "mse"',
    ]);
    expect(withLoss({ name: 'sparse-parity' }, { name: 'adam', loss: 'logistic' })).toEqual([]);
    expect(withLoss({ name: 'mnist' }, { name: 'adam', loss: 'mse' })).toEqual([]);
  });

  it('at their defaults, every task × model pair passes the checks exactly when it builds and fits as runExperiment asserts', () => {
    const defaults = (fields: FieldSpecs): Options => defaultsOf({ fields, checks: [] });
    for (const [taskName, taskEntry] of Object.entries(TASKS))
      for (const [modelName, modelEntry] of Object.entries(MODELS)) {
        const passes = run({ name: taskName }, { name: modelName }).length === 0;
        let builds = true;
        try {
          const task = taskEntry.create(defaults(taskEntry.fields), {});
          const model = modelEntry.create(defaults(modelEntry.fields), { task, replicas: 1 });
          // What runExperiment asserts before training (checkModelFitsTask).
          builds =
            model.layouts.includes(task.layout) &&
            model.outputSize === task.outputSize &&
            model.inputShape.join() === task.inputShape.join();
        } catch {
          builds = false;
        }
        expect(passes, `${taskName} × ${modelName}`).toBe(builds);
      }
  });
});

it("BACKEND_REQUESTS are the backends' own, the names setupBackend takes", () => {
  expect([...BACKEND_REQUESTS]).toEqual([...SET_UP]);
});
