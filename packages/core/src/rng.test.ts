import { describe, expect, it } from 'vitest';
import { createRng, hashString, replicaRngs, restoreRng } from './rng.js';

describe('createRng', () => {
  it('gives the xoshiro128** stream, identical for equal seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const xs = Array.from({ length: 5 }, () => a.nextUint32());
    expect(xs).toEqual(Array.from({ length: 5 }, () => b.nextUint32()));
    // Golden values pin the stream so Node and browsers (and future refactors) agree.
    expect(xs).toMatchInlineSnapshot(`
      [
        2837322924,
        544945897,
        479756282,
        3500138142,
        339756180,
      ]
    `);
  });

  it("is xoshiro128** as its authors' C code computes it: outputs and states from a published test vector", () => {
    // State, outputs and next states of the C reference (prng.di.unimi.it/xoshiro128starstar.c),
    // as published with edorfaus/xoshiro-6502's test data (test-rom/testdata.asm): not from this code.
    const rng = restoreRng([0x964d4a0c, 0xd40ab895, 0xad7fdecb, 0x3006f0f0, Number.NaN]);
    expect(Array.from({ length: 4 }, () => rng.nextUint32())).toEqual([0xf1391922, 0x6fe53806, 0xa5be2840, 0xf510ee70]);
    expect(rng.state().slice(0, 4)).toEqual([0xfc65379c, 0x52006d70, 0x87487639, 0xf1908343]);
  });

  it('uniform is in [0,1) with mean 1/2; normal has mean 0 and variance 1', () => {
    const rng = createRng(1);
    let su = 0,
      sn = 0,
      sn2 = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const u = rng.uniform();
      expect(u >= 0 && u < 1).toBe(true);
      su += u;
      const z = rng.normal();
      sn += z;
      sn2 += z * z;
    }
    expect(Math.abs(su / n - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(sn / n)).toBeLessThan(0.01);
    expect(Math.abs(sn2 / n - 1)).toBeLessThan(0.015);
  });

  it('int is unbiased and in range; subset gives k distinct sorted indices', () => {
    const rng = createRng(3);
    const counts = new Array(3).fill(0);
    for (let i = 0; i < 30_000; i++) counts[rng.int(3)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
    const s = rng.subset(50, 3);
    expect(new Set(s).size).toBe(3);
    expect([...s].sort((x, y) => x - y)).toEqual(s);
    expect(() => rng.int(0)).toThrow(/rng.int: n must be an integer/);
    expect(() => createRng('1' as unknown as number)).toThrow(
      'createRng: seed must be an integer, but got "1" (a string)',
    );
    expect(() => createRng(1.5)).toThrow('createRng: seed must be an integer, but got 1.5');
    // task.testSet(n, createRng(0)): the seed a task's testSet takes given as a generator.
    expect(() => createRng(createRng(0) as never)).toThrow(
      "createRng: seed must be an integer, but got a generator (a task's testSet takes a seed, its sample a generator)",
    );
  });

  it('signs are ±1 and balanced; forks are independent and leave the parent untouched', () => {
    const rng = createRng(5);
    const out = new Float32Array(10_000);
    rng.signs(out);
    const sum = out.reduce((s, v) => s + v, 0);
    expect(out.every((v) => v === 1 || v === -1)).toBe(true);
    expect(Math.abs(sum)).toBeLessThan(400);
    const before = createRng(5);
    const p = createRng(5);
    const f1 = p.fork(1);
    const f2 = p.fork(2);
    expect(p.nextUint32()).toBe(before.nextUint32());
    expect(f1.nextUint32()).not.toBe(f2.nextUint32());
    expect(createRng(5).fork('a').nextUint32()).toBe(createRng(5).fork('a').nextUint32());
    // A number label is its 32 bits: 1.5 forked the stream of 1, NaN of 0, −1 of 2³² − 1.
    for (const label of [1.5, Number.NaN, -1, 2 ** 32])
      expect(() => createRng(5).fork(label)).toThrow(
        `rng.fork: a number label must be an integer in [0, 2^32), but got ${label}`,
      );
  });
});

describe('restoreRng', () => {
  it('continues the exact stream, including a cached normal', () => {
    const rng = createRng(9);
    rng.normal();
    const copy = restoreRng(rng.state());
    expect([copy.normal(), copy.nextUint32(), copy.uniform()]).toEqual([rng.normal(), rng.nextUint32(), rng.uniform()]);
    expect(() => restoreRng([1, 2])).toThrow(/restoreRng: expected/);
  });

  it("refuses xoshiro's all-zero fixed point and a spare normal that is no finite number", () => {
    expect(() => restoreRng([0, 0, 0, 0, null as unknown as number])).toThrow(
      'restoreRng: the words a, b, c, d are all 0, which no generator reaches; give a saved state()',
    );
    for (const [spare, shown] of [
      [Number.POSITIVE_INFINITY, 'Infinity'],
      ['0.5', '"0.5"'],
    ] as const)
      expect(() => restoreRng([1, 2, 3, 4, spare as number])).toThrow(
        `restoreRng: the spare normal (the fifth entry) must be a finite number, or null or NaN for none, but got ${shown}`,
      );
    expect(restoreRng([1, 2, 3, 4, 0.25]).normal()).toBe(0.25);
  });

  it('replicaRngs(seed, R)[r] equals createRng(seed + r)', () => {
    const rngs = replicaRngs(10, 3);
    expect(rngs[2]?.nextUint32()).toBe(createRng(12).nextUint32());
    for (const bad of [2.5, -1, Number.NaN, 0])
      expect(() => replicaRngs(0, bad)).toThrow(`replicaRngs: replicas must be an integer ≥ 1, but got ${bad}`);
  });
});

describe('fill methods', () => {
  it('refuse a length, a plain array or a bad std instead of drawing nothing', () => {
    const rng = createRng(0);
    const bad = (v: unknown) => v as Float32Array;
    expect(() => rng.normals(bad(5))).toThrow(
      'rng.normals: fills the array it is given: expected a Float32Array, but got 5; for 5 values: rng.normals(new Float32Array(5))',
    );
    expect(() => rng.signs(bad([0, 0]))).toThrow(
      'rng.signs: fills the array it is given: expected a Float32Array or an Int8Array, but got a plain array',
    );
    expect(() => rng.normals(new Float32Array(2), Number.NaN)).toThrow('rng.normals: std must be a finite number ≥ 0');
    expect(() => rng.normals(new Float32Array(2), -1)).toThrow('but got -1');
    expect(() => rng.subset(2.5, 1)).toThrow('rng.subset: n must be an integer in [0, 2^24], but got 2.5');
    // 1e12 threw a raw RangeError (Invalid array length); a string read as the number it spells.
    expect(() => rng.subset(1e12, 1)).toThrow('rng.subset: n must be an integer in [0, 2^24], but got 1000000000000');
    expect(() => rng.subset(5, '2' as never)).toThrow(
      'rng.subset: k must be an integer in [0, 5], but got "2" (a string)',
    );
    expect(() => rng.int('5' as never)).toThrow('rng.int: n must be an integer in [1, 2^32], but got "5" (a string)');
    // A refused call draws nothing: the stream is where a fresh one is.
    expect(rng.nextUint32()).toBe(createRng(0).nextUint32());
  });
});

describe('hashString', () => {
  it('refuses a non-string, which hashed to one value whatever it was (5 and 7 gave one seed)', () => {
    expect(hashString('a')).not.toBe(hashString('b'));
    for (const [bad, shown] of [
      [5, '5'],
      [null, 'null'],
    ] as const)
      expect(() => hashString(bad as unknown as string)).toThrow(`hashString: expected a string, but got ${shown}`);
  });
});
