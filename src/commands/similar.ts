/** Edit distance between two strings (Levenshtein: insertions, deletions, substitutions). Pure. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(
        (prev[j] as number) + 1,
        (cur[j - 1] as number) + 1,
        (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = cur;
  }
  return prev[b.length] as number;
}

/**
 * The `n` candidates closest to what was typed: those containing it (or contained in it) first, then by edit
 * distance, ties by name; only candidates within half their length of it. Pure.
 */
export function closest(typed: string, candidates: readonly string[], n: number): string[] {
  const t = typed.toLowerCase();
  return candidates
    .map((c) => {
      const l = c.toLowerCase();
      const within = l.includes(t) || t.includes(l);
      return { c, within, d: editDistance(t, l) };
    })
    .filter((x) => x.within || x.d <= Math.max(2, Math.floor(x.c.length / 2)))
    .sort((a, b) => Number(b.within) - Number(a.within) || a.d - b.d || (a.c < b.c ? -1 : a.c > b.c ? 1 : 0))
    .slice(0, n)
    .map((x) => x.c);
}
