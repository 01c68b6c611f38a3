/**
 * ISO 8601 durations as Logic Apps uses them (retryPolicy intervals, limit.timeout, Until timeout).
 * Months and years use the fixed lengths Logic Apps documents for recurrence-free waits (30 d, 365 d)
 * because the engine only needs a wait length, not calendar arithmetic.
 */
const DURATION = /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

const UNIT_MS = [365 * 86_400_000, 30 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000];

/** Milliseconds of an ISO 8601 duration, or undefined when the text is not one. */
export function parseDuration(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const m = DURATION.exec(text.trim());
  if (!m || text.trim() === 'P' || /T$/i.test(text.trim())) return undefined;
  let total = 0;
  for (let i = 0; i < UNIT_MS.length; i++) {
    const part = m[i + 1];
    if (part !== undefined) total += Number(part) * (UNIT_MS[i] ?? 0);
  }
  return total;
}

/** Wait action units (Second, Minute, ...) to milliseconds. */
export function unitToMs(unit: string): number | undefined {
  switch (unit.toLowerCase()) {
    case 'second': return 1000;
    case 'minute': return 60_000;
    case 'hour': return 3_600_000;
    case 'day': return 86_400_000;
    case 'week': return 7 * 86_400_000;
    case 'month': return 30 * 86_400_000;
    default: return undefined;
  }
}
