// Core's edit distance, which schema hints use too: one definition for every "did you mean".
import { editDistance } from '@learnability/core';

/**
 * The known word closest to `word`, when it is close enough to be a typo (at most 2 edits, or a
 * third of its length; 1 between words of 3 letters or fewer, where 2 edits make `set` of `out`),
 * or when one is a prefix of the other (`--step` → `--steps`); else undefined.
 */
export function closest(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const d = editDistance(word, k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  if (best === undefined) return undefined;
  const prefix = word.length >= 3 && (best.startsWith(word) || word.startsWith(best));
  const short = Math.min(word.length, best.length) <= 3;
  const edits = short ? 1 : Math.max(2, Math.floor(best.length / 3));
  return bestDistance <= edits || prefix ? best : undefined;
}

/** `did you mean "x"? ` (with the trailing space), or '' when nothing is close. */
export function didYouMean(word: string, known: readonly string[], quote = (s: string) => `"${s}"`): string {
  const best = closest(word, known);
  return best === undefined ? '' : `did you mean ${quote(best)}? `;
}
