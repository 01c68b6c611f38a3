/**
 * Times in answers carry their zone, to the minute: "2026-12-06 14:05 UTC". Technicians across time zones
 * read the same answer, so UTC is said rather than implied.
 */
export function formatUtc(value: string | Date): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
