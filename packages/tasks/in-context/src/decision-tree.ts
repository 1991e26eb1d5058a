import type { Rng } from '@learnability/core';
import type { PromptFunction } from './function-family.js';

/**
 * A random depth-`depth` binary decision tree as a (2^{depth+1} − 1)-node array (docs/papers.md §5:
 * 31 nodes at depth 4): internal node i tests x_{j_i} > 0 and goes to child 2i + 2 if so, else
 * 2i + 1; leaf values are N(0, 1). Split coordinates are uniform over the active coordinates:
 * under a dims curriculum that is a distribution the authors never trained on, since their code
 * draws the splits, and x, over all d whatever the curriculum says (scripts/tasks.py); their
 * trees, and the `looped-decision-tree` preset, train with the curriculum off.
 * Draws: the 2^depth − 1 split coordinates in node order, then the 2^depth leaf values.
 */
export function sampleDecisionTree(
  active: number,
  depth: number,
  rng: Rng,
): { f: PromptFunction; features: Int32Array; leaves: Float32Array } {
  const internal = 2 ** depth - 1;
  const features = Int32Array.from({ length: internal }, () => rng.int(active));
  const leaves = new Float32Array(2 ** depth);
  rng.normals(leaves);
  const f: PromptFunction = (x, offset) => {
    let node = 0;
    for (let level = 0; level < depth; level++)
      node = 2 * node + 1 + ((x[offset + (features[node] as number)] as number) > 0 ? 1 : 0);
    return leaves[node - internal] as number;
  };
  return { f, features, leaves };
}
