import { describe, expect, it } from 'vitest';
import { runIdFor } from './run-id.js';

describe('runIdFor', () => {
  it('joins the name, the UTC time to the second and the seed', () => {
    expect(runIdFor('sparse-parity', 3, new Date('2026-11-23T06:01:02.345Z'))).toBe('sparse-parity-20261123T060102-s3');
    expect(runIdFor('looped-transformer', 0, new Date('2026-01-02T23:59:59.999Z'))).toBe(
      'looped-transformer-20260102T235959-s0',
    );
  });

  it('refuses a seed that is no whole number ≥ 0 and a date that is not valid, in one line', () => {
    expect(() => runIdFor('x', Number.NaN)).toThrow('runIdFor: seed must be an integer ≥ 0, but got NaN');
    expect(() => runIdFor('x', 1, new Date('nope'))).toThrow(
      'runIdFor: now must be a valid Date, but got an invalid Date',
    );
  });

  it('stamps the current time by default', () => {
    const before = Date.now();
    const id = runIdFor('x', 1);
    const m = /^x-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})-s1$/.exec(id);
    expect(m).not.toBeNull();
    const [, y, mo, d, h, mi, s] = (m ?? []).map(Number);
    const at = Date.UTC(y as number, (mo as number) - 1, d, h, mi, s);
    expect(at).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(at).toBeLessThanOrEqual(Date.now());
  });
});
