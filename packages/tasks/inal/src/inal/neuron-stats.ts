/**
 * Per-neuron statistics of the INAL estimator and their reduction (plain JS, float64).
 *
 * Exact enumeration (N = 2^n inputs) gives the correlation c_v = Σ f·a_v / N itself, so c² is exact.
 *
 * Monte Carlo: ĉ² is biased upward by Var(f·a)/N (docs/papers.md §3). The inputs come in G chunks
 * (groups); with y = f·(a_v − β) for a constant β and Y_g = Σ_{i∈g} y_i, independent groups give
 * E[Y_g Y_h] = m_g m_h (E y)² for g ≠ h, so
 *   U = ((Σ_g Y_g)² − Σ_g Y_g²) / (N² − Σ_g m_g²)
 * is unbiased for (E y)² (a U-statistic over groups; for G ≳ 30 nearly as efficient as over pairs,
 * and it needs only Σ f·a per chunk). Since c = E y + β E f,
 *   ĉ² = U + 2 β E[f] ȳ + β² E[f]²
 * is unbiased for c² when E f is known exactly (else β = 0 and ĉ² = U). β = a pilot estimate of
 * E a_v, from inputs apart from the main ones, takes the neuron's mean out of the noise: without
 * it every neuron of a replica shares the term μ_v² ((Σf)² − N)/N², which does not average out over
 * neurons and floors the pooled estimate at order μ²/N.
 */
import { meanInterval } from '../stats.js';

/** A neuron: layer index (as in `applyLayers`) and unit index within that layer's output. */
export interface NeuronRef {
  layer: number;
  neuron: number;
}

/** One layer's part of the estimate. */
export interface LayerInal {
  layer: number;
  width: number;
  /** max_v of the init-averaged c²_v over this layer's neurons. */
  max: number;
  /** The neuron attaining `max`. */
  argmax: number;
  /** The init- and neuron-averaged c² (each replica's layer mean, then their mean). */
  mean: number;
  /** Confidence interval of `mean` from the R per-replica layer means (Student t), and its standard error. */
  meanCiLow: number;
  meanCiHigh: number;
  meanStderr: number;
}

export interface NeuronSummary {
  /** max_v of the init-averaged c²_v: the estimate of INAL(f, NN) = max_v E_θ⁰[⟨f, NN_v⟩²]. */
  inal: number;
  /** Confidence interval for E_θ⁰[c²] of the argmax neuron from its R per-replica values. */
  ciLow: number;
  ciHigh: number;
  /** Standard error of `inal` from the R per-replica values. */
  stderr: number;
  argmax: NeuronRef;
  layers: LayerInal[];
  /** The init-averaged c²_v of every neuron, per layer. */
  neurons: Float64Array[];
}

export class NeuronAccumulator {
  /** Inputs each replica has seen. */
  count = 0;
  /** Σ_g m_g² over the chunks so far. */
  private squaredSizes = 0;
  private readonly sum: Float64Array[];
  private readonly sumSquares: Float64Array[];

  /**
   * `exact`: the inputs are all of {±1}^n. Otherwise `beta` (per layer, R·W, replica-major) are the
   * centring constants and `targetMean` is E f when known exactly (null: β is taken as 0).
   */
  constructor(
    readonly replicas: number,
    readonly widths: readonly number[],
    readonly exact: boolean,
    private readonly beta: readonly Float64Array[] | null = null,
    private readonly targetMean: number | null = null,
  ) {
    this.sum = widths.map((w) => new Float64Array(replicas * w));
    this.sumSquares = widths.map((w) => new Float64Array(replicas * w));
  }

  /**
   * Adds one chunk of `rows` inputs per replica: `f` (R·rows, replica-major) and, per layer,
   * Σ_{i∈chunk} f_i a_v(x_i) (R·W, replica-major).
   */
  addChunk(f: ArrayLike<number>, rows: number, sumFa: readonly ArrayLike<number>[]): void {
    const R = this.replicas;
    const sumF = new Float64Array(R);
    for (let r = 0; r < R; r++)
      for (let b = 0; b < rows; b++) sumF[r] = (sumF[r] as number) + (f[r * rows + b] as number);
    const centred = this.beta !== null && this.targetMean !== null;
    this.widths.forEach((width, layer) => {
      const fa = sumFa[layer] as ArrayLike<number>;
      const beta = centred ? (this.beta?.[layer] as Float64Array) : null;
      const sum = this.sum[layer] as Float64Array;
      const squares = this.sumSquares[layer] as Float64Array;
      for (let i = 0; i < sum.length; i++) {
        const y = (fa[i] as number) - (beta ? (beta[i] as number) * (sumF[Math.floor(i / width)] as number) : 0);
        sum[i] = (sum[i] as number) + y;
        squares[i] = (squares[i] as number) + y * y;
      }
    });
    this.count += rows;
    this.squaredSizes += rows * rows;
  }

  /** c² of (replica r, neuron v) of `layer` at `index` = r·W + v: exact, or unbiased (module comment). */
  value(layer: number, index: number): number {
    const n = this.count;
    const sum = (this.sum[layer] as Float64Array)[index] as number;
    if (this.exact) return (sum / n) ** 2;
    const u = (sum * sum - ((this.sumSquares[layer] as Float64Array)[index] as number)) / (n * n - this.squaredSizes);
    const mean = this.targetMean;
    const beta = this.beta === null || mean === null ? 0 : ((this.beta[layer] as Float64Array)[index] as number) * mean;
    return u + 2 * beta * (sum / n) + beta * beta;
  }

  summary(confidence: number): NeuronSummary {
    const R = this.replicas;
    const neurons: Float64Array[] = [];
    const layers: LayerInal[] = [];
    let best: NeuronRef = { layer: 0, neuron: 0 };
    let bestValue = -Infinity;
    this.widths.forEach((width, layer) => {
      const means = new Float64Array(width);
      const replicaMeans = new Float64Array(R);
      for (let r = 0; r < R; r++) {
        for (let v = 0; v < width; v++) {
          const c2 = this.value(layer, r * width + v);
          means[v] = (means[v] as number) + c2 / R;
          replicaMeans[r] = (replicaMeans[r] as number) + c2 / width;
        }
      }
      let argmax = 0;
      for (let v = 1; v < width; v++) if ((means[v] as number) > (means[argmax] as number)) argmax = v;
      const pooled = meanInterval(replicaMeans, confidence);
      layers.push({
        layer,
        width,
        max: means[argmax] as number,
        argmax,
        mean: pooled.mean,
        meanCiLow: pooled.low,
        meanCiHigh: pooled.high,
        meanStderr: pooled.stderr,
      });
      if ((means[argmax] as number) > bestValue) {
        bestValue = means[argmax] as number;
        best = { layer, neuron: argmax };
      }
      neurons.push(means);
    });
    const width = this.widths[best.layer] as number;
    const perReplica = Array.from({ length: R }, (_, r) => this.value(best.layer, r * width + best.neuron));
    const ci = meanInterval(perReplica, confidence);
    return { inal: bestValue, ciLow: ci.low, ciHigh: ci.high, stderr: ci.stderr, argmax: best, layers, neurons };
  }
}
