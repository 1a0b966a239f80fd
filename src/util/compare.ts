/**
 * Orders strings by UTF-16 code units — what `Array#sort` does without a comparator, but usable inside a compound
 * comparison (`a.x - b.x || compareText(a.name, b.name)`). Not `localeCompare`: drafts, tables and CSVs must sort
 * the same on every machine, whatever its locale.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
