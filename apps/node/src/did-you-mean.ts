import { closestWord } from '@learnability/core';

/** `did you mean "x"? ` (with the trailing space), or '' when nothing is close (core's `closestWord`). */
export function didYouMean(word: string, known: readonly string[], quote = (s: string) => `"${s}"`): string {
  const best = closestWord(word, known);
  return best === undefined ? '' : `did you mean ${quote(best)}? `;
}
