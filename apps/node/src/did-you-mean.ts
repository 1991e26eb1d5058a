/** Edit distance (insertions, deletions, substitutions) between two short words. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = row;
  }
  return prev[b.length] as number;
}

/**
 * The known word closest to `word`, when it is close enough to be a typo (at most 2 edits, or a
 * third of its length), or when one is a prefix of the other (`--step` → `--steps`); else undefined.
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
  return bestDistance <= Math.max(2, Math.floor(best.length / 3)) || prefix ? best : undefined;
}

/** `did you mean "x"? ` (with the trailing space), or '' when nothing is close. */
export function didYouMean(word: string, known: readonly string[], quote = (s: string) => `"${s}"`): string {
  const best = closest(word, known);
  return best === undefined ? '' : `did you mean ${quote(best)}? `;
}
