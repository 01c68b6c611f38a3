/**
 * When and how long to wait before repeating a Graph call. Graph throttles with 429 and a
 * Retry-After header (seconds, possibly fractional: https://learn.microsoft.com/graph/throttling) and answers 503/504 during
 * outages; all three are worth repeating. Attempts and total waiting are capped so a helper never
 * outlives the workflow action calling it.
 */
export interface RetryPolicy {
  /** Total attempts including the first (default 4). */
  maxAttempts: number;
  /** Upper bound on the sum of all waits in ms (default 60 s). */
  maxTotalWaitMs: number;
  /** Wait used when Graph sends no Retry-After; doubled per attempt (default 1 s). */
  baseDelayMs: number;
  /** Injectable for tests, so no test ever sleeps for real. */
  sleep: (ms: number) => Promise<void>;
}

export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 503, 504]);

export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function defaultRetryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  return { maxAttempts: 4, maxTotalWaitMs: 60_000, baseDelayMs: 1_000, sleep: realSleep, ...overrides };
}

/** Retry-After as milliseconds: delta-seconds (int or float) or an HTTP date; undefined when absent/invalid. */
export function parseRetryAfter(header: string | null | undefined, now: number = Date.now()): number | undefined {
  if (header === null || header === undefined || header.trim() === '') return undefined;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * Delay before attempt `attempt + 1` (attempt counts from 1), or undefined when the policy says stop:
 * out of attempts, or the wait would push the total past the cap.
 */
export function nextDelay(
  policy: RetryPolicy,
  attempt: number,
  retryAfterMs: number | undefined,
  waitedSoFarMs: number,
): number | undefined {
  if (attempt >= policy.maxAttempts) return undefined;
  const delay = retryAfterMs ?? policy.baseDelayMs * 2 ** (attempt - 1);
  if (waitedSoFarMs + delay > policy.maxTotalWaitMs) return undefined;
  return delay;
}
