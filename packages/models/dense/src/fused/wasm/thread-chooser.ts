/**
 * Whether a step runs on the worker threads or on the main thread alone, chosen by measuring.
 *
 * On 2 cores shared with other processes a second thread is sometimes a 1.8× win and sometimes a
 * loss (a descheduled worker stalls a phase on its chunk). Both ways give bit-identical results
 * (every output is summed in the same order), so the kernel times both and keeps the faster:
 * per problem shape, an exponential moving average of µs per step for each way; the slower way is
 * re-tried once every `EXPLORE_EVERY` steps, so the choice follows the machine's load.
 */

const EXPLORE_EVERY = 50;
const WARM_UP = 3; // steps per way not counted (tier-up, first allocations)
const SMOOTHING = 0.2;

interface Way {
  runs: number;
  micros: number; // moving average; NaN until measured
}

export class ThreadChooser {
  private readonly shapes = new Map<string, { ways: [Way, Way]; steps: number }>();

  /** true: use the workers for this step of `shape`. */
  choose(shape: string): boolean {
    const s = this.entry(shape);
    s.steps++;
    const [alone, threaded] = s.ways;
    if (alone.runs < WARM_UP + 2 || threaded.runs < WARM_UP + 2) return alone.runs > threaded.runs;
    const faster = threaded.micros < alone.micros;
    return s.steps % EXPLORE_EVERY === 0 ? !faster : faster;
  }

  /** Records how long a step of `shape` took the chosen way. */
  record(shape: string, threaded: boolean, micros: number): void {
    const way = this.entry(shape).ways[threaded ? 1 : 0];
    way.runs++;
    if (way.runs <= WARM_UP) return;
    way.micros = Number.isNaN(way.micros) ? micros : way.micros + SMOOTHING * (micros - way.micros);
  }

  private entry(shape: string) {
    let s = this.shapes.get(shape);
    if (!s) {
      s = {
        ways: [
          { runs: 0, micros: Number.NaN },
          { runs: 0, micros: Number.NaN },
        ],
        steps: 0,
      };
      this.shapes.set(shape, s);
    }
    return s;
  }
}
