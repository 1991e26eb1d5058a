import * as tf from '@tensorflow/tfjs-core';
import { setupBackend } from '@learnability/backends';
import { blockParamCount } from '@learnability/looped-transformer';
import { getPreset, mergeConfig, validateConfig } from '@learnability/presets';
import { ConfigError } from '@learnability/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { formDefaults } from './form-schema.js';
import {
  countPreset,
  countsByDepth,
  countsByInputSize,
  PARAM_FORM_SCHEMA,
  paperScaleCounts,
  validateParamForm,
} from './param-counts.js';
import type { ParamRequest } from './param-counts.js';

const DEFAULTS = formDefaults(PARAM_FORM_SCHEMA);

const request = (over: Partial<ParamRequest> = {}): ParamRequest => {
  const { request: r } = validateParamForm(DEFAULTS);
  if (!r) throw new Error('defaults must be valid');
  return { ...r, ...over };
};

describe('validateParamForm', () => {
  it('starts from the defaults the explorer has always shown', () => {
    expect(DEFAULTS).toEqual({
      ns: '4,8,12,16,24,32',
      depths: '1,2,4,8,16,32',
      depthN: '16',
      denseWidth: '64',
      channels: '8',
      embedSize: '32',
    });
    expect(request()).toEqual({
      ns: [4, 8, 12, 16, 24, 32],
      depths: [1, 2, 4, 8, 16, 32],
      depthN: 16,
      denseWidth: 64,
      channels: 8,
      embedSize: 32,
    });
  });

  it('reports each bad field at its path, all at once', () => {
    const { request: r, issues } = validateParamForm({
      ...DEFAULTS,
      ns: '4,x',
      depths: '0',
      channels: '65',
      denseWidth: '',
    });
    expect(r).toBeNull();
    expect(issues).toEqual([
      {
        path: 'ns',
        message: 'expected a list of 1 to 12 integers in [2, 256], e.g. [4, 8, 12, 16, 24, 32], but got [4,"x"]',
      },
      {
        path: 'depths',
        message: 'expected a list of 1 to 12 integers in [1, 64], e.g. [1, 2, 4, 8, 16, 32], but got [0]',
      },
      { path: 'denseWidth', message: 'expected an integer in [1, 4096], but got ""' },
      { path: 'channels', message: 'expected an integer in [1, 64], but got 65' },
    ]);
    expect(validateParamForm({ ...DEFAULTS, ns: '1,2,3,4,5,6,7,8,9,10,11,12,13' }).issues.map((i) => i.path)).toEqual([
      'ns',
    ]);
  });

  it('reads sizes and depths in any order, with repeats, as a sorted set', () => {
    const { request: r } = validateParamForm({ ...DEFAULTS, ns: '16, 4 8,4', depths: '[8,1]' });
    expect(r?.ns).toEqual([4, 8, 16]);
    expect(r?.depths).toEqual([1, 8]);
  });

  it("checks D by the looped transformer's own rule, in the words validateConfig gives for the preset", () => {
    const { issues } = validateParamForm({ ...DEFAULTS, embedSize: '30' });
    const preset = getPreset('looped-linear-regression-small').config as Parameters<typeof mergeConfig>[0];
    let fromConfig: unknown;
    try {
      validateConfig(mergeConfig(structuredClone(preset), { model: { embedSize: 30 } }));
    } catch (e) {
      fromConfig = e instanceof ConfigError ? e.issues : e;
    }
    expect(fromConfig).toEqual([{ path: 'model.heads', message: 'heads (4) must divide embedSize (30)' }]);
    expect(issues).toEqual([{ path: 'embedSize', message: 'heads (4) must divide embedSize (30)' }]);
    expect(validateParamForm({ ...DEFAULTS, embedSize: '64' }).issues).toEqual([]);
  });
});

describe("parameter counts (from the models' initialised shapes)", () => {
  beforeAll(async () => {
    await setupBackend('cpu');
  });

  it("every count equals the model's declared paramCount, and frees its tensors", () => {
    const before = tf.memory().numTensors;
    const rows = [...countsByInputSize(request({ ns: [4, 32] })), ...countsByDepth(request({ depths: [1, 3] }))];
    expect(tf.memory().numTensors).toBe(before);
    for (const row of rows) for (const c of row.counts) expect(c.total, c.label).toBe(c.declared);
    // The dense model at n = 4 (4 → 1,000 → 1): the first layer reads the input, the last writes out.
    expect(rows[0]?.counts[0]?.byRole).toEqual({ input: 4 * 1000 + 1000, core: 0, output: 1000 + 1 });
  });

  it('vs n on sparse parity: the numbers of docs/reproductions/rcnn.md', () => {
    const rows = countsByInputSize(request({ ns: [4, 8, 12, 16, 24, 32] }));
    expect(rows.map((r) => r.counts.map((c) => c.total))).toEqual([
      [6_001, 1_105],
      [10_001, 1_521],
      [14_001, 2_193],
      [18_001, 3_121],
      [26_001, 5_745],
      [34_001, 9_393],
    ]);
    // Only the RCNN's dense first layer grows with n; its shared filter and readout do not.
    const rcnn = rows.map((r) => r.counts[1]?.byRole);
    expect(new Set(rcnn.map((b) => `${b?.core}/${b?.output}`)).size).toBe(1);
  });

  it('vs depth: the RCNN and the looped transformer stay constant, the MLP and the standard transformer grow linearly', () => {
    const rows = countsByDepth(request({ depths: [1, 2, 4, 8] }));
    const column = (i: number) => rows.map((r) => r.counts[i]?.total as number);
    const [dense, rcnn, standard, looped] = [column(0), column(1), column(2), column(3)];
    expect(new Set(rcnn).size).toBe(1);
    expect(new Set(looped).size).toBe(1);
    // docs/reproductions/looped-transformer.md at D = 32: 1 block × 8 loops 13,537; 4 layers 51,649.
    expect(looped[3]).toBe(13_537);
    expect(standard[2]).toBe(51_649);
    // Each extra layer adds one block (standard) or one 64 × 64 hidden layer (MLP).
    expect((standard[1] as number) - (standard[0] as number)).toBe(blockParamCount(32));
    expect((dense[1] as number) - (dense[0] as number)).toBe(64 * 64 + 64);
    expect((dense[3] as number) - (dense[2] as number)).toBe(4 * (64 * 64 + 64));
  });

  it('paper scale: the blocks are 9.48M (12 layers) and 0.79M (one looped block)', () => {
    const [standard, looped] = paperScaleCounts();
    expect(standard?.byRole.core).toBe(9_477_120);
    expect(looped?.byRole.core).toBe(789_760);
    expect(standard?.total).toBe(standard?.declared);
    expect(looped?.total).toBe(looped?.declared);
  });

  it('a bad override is a schema error with its path', () => {
    expect(() => countPreset('rcnn-parity', { model: { channels: 0 } }, 'x')).toThrow(/model\.channels/);
  });
});
