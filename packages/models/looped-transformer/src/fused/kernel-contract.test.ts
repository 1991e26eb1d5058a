import { describe, expect, it } from 'vitest';
import { resolveLoopedTransformerConfig } from '../config.js';
import { paramSpecs } from '../params.js';
import { checkLoopedStepInputs, loopedParamNames } from './kernel-contract.js';

const spec = (shape: number[]) => ({ shape, dtype: 'float32' });

/** The inputs of a 1-block model (R 2, B 3, T 6, d 4, D 8, F 32) as shapes. */
function inputs(): Record<string, { shape: number[]; dtype: string }> {
  const c = resolveLoopedTransformerConfig({ tokens: 6, tokenSize: 4, embedSize: 8, heads: 2, replicas: 2 });
  const out: Record<string, { shape: number[]; dtype: string }> = { x: spec([2, 3, 6, 4]), y: spec([2, 3, 3]) };
  for (const p of paramSpecs(c)) for (const k of ['', '.m', '.v']) out[`${p.name}${k}`] = spec([2, ...p.shape]);
  return out;
}

/** Any rule with two slots; the contract reads only its slot names. */
const update = { slots: ['m', 'v'], wgsl: '', scalars: [] };
const ATTRS = { layers: 1, heads: 2, readout: 'interleaved' as const, tokens: 6, loops: 3, lossLoops: 2, update };

describe('LOOPED_STEP contract', () => {
  it('names the parameters in the model’s own order, for any depth', () => {
    for (const layers of [1, 3]) {
      const c = resolveLoopedTransformerConfig({ tokens: 4, tokenSize: 2, embedSize: 8, heads: 2, layers });
      expect(loopedParamNames(layers)).toEqual(paramSpecs(c).map((p) => p.name));
    }
  });

  it('reads the shape off the inputs', () => {
    const { shape, list } = checkLoopedStepInputs(inputs(), ATTRS);
    expect(list).toHaveLength(2 + 3 * 19);
    expect(shape).toMatchObject({ R: 2, B: 3, promptTokens: 6, tokenSize: 4, targets: 3, embedSize: 8, hidden: 32 });
    expect(shape.sizes['h0.qkv.w']).toBe(8 * 24);
  });

  it('takes as many state inputs per parameter as the update rule has slots', () => {
    const plain = Object.fromEntries(Object.entries(inputs()).filter(([n]) => !/\.(m|v)$/.test(n)));
    const sgd = { ...ATTRS, update: { slots: [], wgsl: '', scalars: [] } };
    expect(checkLoopedStepInputs(plain, sgd).list).toHaveLength(2 + 19);
    expect(() => checkLoopedStepInputs(plain, ATTRS)).toThrow(/missing input "readIn\.w\.m"/);
  });

  it('names the input or attribute that does not fit', () => {
    const missing = inputs();
    delete missing['h0.fc.b.v'];
    expect(() => checkLoopedStepInputs(missing, ATTRS)).toThrow(/missing input "h0\.fc\.b\.v"/);
    const wrong = { ...inputs(), 'pos.m': spec([2, 5, 8]) };
    expect(() => checkLoopedStepInputs(wrong, ATTRS)).toThrow(/pos and its slots must share one shape/);
    expect(() => checkLoopedStepInputs(inputs(), { ...ATTRS, heads: 3 })).toThrow(/heads \(3\) must divide/);
    expect(() => checkLoopedStepInputs(inputs(), { ...ATTRS, tokens: 5 })).toThrow(/interleaved readout needs even/);
    expect(() => checkLoopedStepInputs(inputs(), { ...ATTRS, lossLoops: 4 })).toThrow(/1 ≤ lossLoops ≤ loops/);
  });
});
