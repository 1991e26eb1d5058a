/**
 * Per-model `--set` overrides for an experiment that trains several presets: a path starting
 * with a model's name (`looped.model.loops=12`) reaches that model's config alone, without the
 * prefix; any other path (`run.batchSize=32`) reaches every model's.
 */
export function setsFor<K extends string>(kind: K, sets: readonly string[], kinds: readonly K[]): string[] {
  const out: string[] = [];
  for (const set of sets) {
    const owner = kinds.find((k) => set.startsWith(`${k}.`));
    if (owner === undefined) out.push(set);
    else if (owner === kind) out.push(set.slice(kind.length + 1));
  }
  return out;
}
