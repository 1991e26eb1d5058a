import { describe, expect, it } from 'vitest';
import type { Io } from '../io.js';
import { presetsCommand } from './presets.js';

const io: Io = { out: () => {}, err: () => {}, status: () => {}, interactive: false };

describe('learnability presets <name>', () => {
  it('suggests the nearest preset for a typo, as run does', async () => {
    await expect(presetsCommand(['sparse-parit'], io)).rejects.toThrow(
      /^presets: unknown preset "sparse-parit"; did you mean "sparse-parity"\? known presets: sparse-parity, /,
    );
    await expect(presetsCommand(['banana'], io)).rejects.toThrow(/^presets: unknown preset "banana"; known presets: /);
  });
});
