/**
 * How close two names are, for "did you mean …" answers: the Damerau-Levenshtein distance in its
 * optimal-string-alignment form (insertions, deletions, substitutions and swaps of two neighbouring
 * letters each cost 1), case-insensitive. "adel.vance" → "adele.vance" is 1; "jhon" → "john" is 1.
 */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  if (s === t) return 0;
  if (!s.length) return t.length;
  if (!t.length) return s.length;
  // Three rows are enough for the swap rule (it looks two rows back).
  let before = new Array<number>(t.length + 1).fill(0);
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  let current = new Array<number>(t.length + 1).fill(0);
  for (let i = 1; i <= s.length; i++) {
    current[0] = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let best = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) best = Math.min(best, (before[j - 2] as number) + 1);
      current[j] = best;
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[t.length] as number;
}

/** The smallest distance from `wanted` to any of `names` (empty names ignored). */
export function closestDistance(wanted: string, names: ReadonlyArray<string | null | undefined>): number {
  const real = names.filter((n): n is string => typeof n === 'string' && n.length > 0);
  return real.length === 0 ? Number.POSITIVE_INFINITY : Math.min(...real.map((n) => editDistance(wanted, n)));
}

/**
 * The `limit` items closest to what was asked, closest first (ties keep Graph's order), leaving out
 * those too far off to be a typo: more than half the length of what was asked (at least 2) away.
 */
export function closest<T>(wanted: string, items: readonly T[], namesOf: (item: T) => ReadonlyArray<string | null | undefined>, limit = 5): Array<T & { distance: number }> {
  const cutoff = Math.max(2, Math.floor(wanted.trim().length / 2));
  return items
    .map((item, order) => ({ item, order, distance: closestDistance(wanted.trim(), namesOf(item)) }))
    .filter((r) => r.distance <= cutoff)
    .sort((a, b) => a.distance - b.distance || a.order - b.order)
    .slice(0, limit)
    .map((r) => ({ ...r.item, distance: r.distance }));
}
