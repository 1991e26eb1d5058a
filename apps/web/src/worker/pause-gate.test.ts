import { describe, expect, it } from 'vitest';
import { PauseGate } from './pause-gate.js';

/** Resolves after pending microtasks and one macrotask. */
const settle = () => new Promise((r) => setTimeout(r, 0));

/** Runs `evals` evaluations through the gate, recording each one passed and each hold. */
function fakeRun(gate: PauseGate, evals: number, log: string[]): Promise<void> {
  return (async () => {
    for (let e = 1; e <= evals; e++) {
      const held = await gate.atEvaluation(() => log.push(`held at ${e}`));
      log.push(held ? `went on from ${e}` : `passed ${e}`);
    }
  })();
}

describe('PauseGate', () => {
  it('passes every evaluation when no pause is asked for', async () => {
    const gate = new PauseGate();
    const log: string[] = [];
    await fakeRun(gate, 3, log);
    expect(log).toEqual(['passed 1', 'passed 2', 'passed 3']);
    expect(gate.state).toBe('running');
  });

  it('holds at the next evaluation on pause, steps one evaluation at a time, and resumes', async () => {
    const gate = new PauseGate();
    const log: string[] = [];
    gate.pause();
    expect(gate.state).toBe('pausing');
    const done = fakeRun(gate, 4, log);
    await settle();
    expect(log).toEqual(['held at 1']);
    expect(gate.state).toBe('paused');
    gate.step();
    await settle();
    expect(log).toEqual(['held at 1', 'went on from 1', 'held at 2']);
    gate.resume();
    await done;
    expect(log).toEqual(['held at 1', 'went on from 1', 'held at 2', 'went on from 2', 'passed 3', 'passed 4']);
    expect(gate.state).toBe('running');
  });

  it('lets a held run go on at release (what Stop calls, so that the run loop reaches its own stop check)', async () => {
    const gate = new PauseGate();
    const log: string[] = [];
    gate.pause();
    const done = fakeRun(gate, 1, log);
    await settle();
    gate.release();
    await done;
    expect(log).toEqual(['held at 1', 'went on from 1']);
  });
});

describe('PauseGate.now', () => {
  it('stands still while the run is held and leaves every hold out after', async () => {
    let t = 1000;
    const gate = new PauseGate(() => t);
    expect(gate.now()).toBe(1000);
    gate.pause();
    t = 1010; // the first evaluation is reached (and held) here
    const done = fakeRun(gate, 3, []);
    await settle();
    expect(gate.state).toBe('paused');
    t = 1500; // 490 ms held
    expect(gate.now()).toBe(1010);
    gate.step();
    await settle(); // trains to the second evaluation at once (t unchanged) and holds again
    expect(gate.now()).toBe(1010);
    t = 2000; // 500 ms held
    gate.resume();
    await done;
    expect(gate.now()).toBe(1010);
    t = 2030;
    expect(gate.now()).toBe(1040);
  });
});
