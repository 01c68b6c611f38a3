/**
 * Key under which intent names (and field names) are compared: trimmed, case-folded, inner whitespace
 * collapsed, spacing around "/" unified. Thread's AI is not always exact about spacing or case, and a
 * near-miss must route, not bounce.
 */
export function nameKey(name: string): string {
  return name
    .normalize('NFKC')
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/ ?\/ ?/g, ' / ')
    .toLowerCase();
}
