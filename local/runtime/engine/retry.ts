import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { OutboundResponse, RetryAttempt, RuntimeClock } from '../model.js';
import { parseDuration } from './durations.js';
import { ActionFailure } from './errors.js';

export interface RetryPolicy {
  type: 'none' | 'fixed' | 'exponential';
  count: number;
  intervalMs: number;
  minimumIntervalMs: number;
  maximumIntervalMs: number;
}

/**
 * Standard host defaults for HTTP, Function and connector actions: exponential, 4 retries, 7 s interval,
 * 5 s minimum, 1 h maximum (https://learn.microsoft.com/azure/logic-apps/edit-app-settings-host-settings#http-operations).
 */
export const DEFAULT_RETRY: RetryPolicy = {
  type: 'exponential',
  count: 4,
  intervalMs: 7000,
  minimumIntervalMs: 5000,
  maximumIntervalMs: 3_600_000,
};

/** Reads `inputs.retryPolicy`; an invalid policy fails the action the way Azure rejects it. */
export function parseRetryPolicy(raw: unknown, actionName: string): RetryPolicy {
  if (raw === undefined || raw === null) return DEFAULT_RETRY;
  const p = raw as { type?: unknown; count?: unknown; interval?: unknown; minimumInterval?: unknown; maximumInterval?: unknown };
  const type = String(p.type ?? 'default').toLowerCase();
  if (type === 'default') return DEFAULT_RETRY;
  if (type === 'none') return { ...DEFAULT_RETRY, type: 'none', count: 0 };
  if (type !== 'fixed' && type !== 'exponential') {
    throw new ActionFailure('InvalidRetryPolicy', `The retry policy type '${String(p.type)}' of action '${actionName}' is not valid: use 'default', 'none', 'fixed' or 'exponential'.`);
  }
  const count = p.count === undefined ? DEFAULT_RETRY.count : Number(p.count);
  if (!Number.isInteger(count) || count < 1 || count > 90) {
    throw new ActionFailure('InvalidRetryPolicy', `The retry policy count of action '${actionName}' must be between 1 and 90.`);
  }
  const interval = parseDuration(p.interval);
  if (interval === undefined) {
    throw new ActionFailure('InvalidRetryPolicy', `The retry policy of action '${actionName}' needs an ISO 8601 'interval'.`);
  }
  return {
    type,
    count,
    intervalMs: interval,
    minimumIntervalMs: parseDuration(p.minimumInterval) ?? (type === 'exponential' ? DEFAULT_RETRY.minimumIntervalMs : 0),
    maximumIntervalMs: parseDuration(p.maximumInterval) ?? DEFAULT_RETRY.maximumIntervalMs,
  };
}

/**
 * Wait before retry number `retry` (1-based). Exponential follows the documented table: retry 1 is
 * uniform in [min, min(interval, max)], retry n in [max(2^(n-2)·interval, min), min(2^(n-1)·interval, max)].
 */
export function retryDelay(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  if (policy.type === 'fixed') return policy.intervalMs;
  const lo = retry <= 1 ? Math.max(0, policy.minimumIntervalMs) : Math.max(2 ** (retry - 2) * policy.intervalMs, policy.minimumIntervalMs);
  const hi = retry <= 1 ? Math.min(policy.intervalMs, policy.maximumIntervalMs) : Math.min(2 ** (retry - 1) * policy.intervalMs, policy.maximumIntervalMs);
  return hi <= lo ? Math.min(lo, policy.maximumIntervalMs) : lo + random() * (hi - lo);
}

/** 408, 429 and 5xx (other than 501 Not Implemented and 505) are transient. */
export function isRetriableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

const DOTNET_NAMES: Record<number, string> = {
  302: 'Redirect',
  413: 'RequestEntityTooLarge',
  414: 'RequestUriTooLong',
  416: 'RequestedRangeNotSatisfiable',
  422: 'UnprocessableEntity',
};

/** Azure's status code names are .NET's HttpStatusCode names ("TooManyRequests", "BadRequest"). */
export function statusCodeName(status: number): string {
  return DOTNET_NAMES[status] ?? (STATUS_CODES[status] ?? `Status${status}`).replace(/[^A-Za-z]/g, '');
}

/** Retry-After as seconds or an HTTP date, in ms. */
export function retryAfterMs(headers: Record<string, string>, now: number): number | undefined {
  const raw = Object.entries(headers).find(([k]) => k.toLowerCase() === 'retry-after')?.[1];
  if (raw === undefined) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export interface RetriedCall {
  response?: OutboundResponse;
  /** Set when the last attempt failed without an HTTP response. */
  error?: { code: string; message: string };
  retryHistory: RetryAttempt[];
}

/**
 * Sends with the action's retry policy: transient statuses and connection errors are retried,
 * honouring Retry-After; each retried attempt is written to retryHistory like Azure does, with the
 * x-ms-client-request-id the attempt was sent with.
 */
export async function sendWithRetry(
  send: (clientRequestId: string) => Promise<OutboundResponse>,
  policy: RetryPolicy,
  clock: RuntimeClock,
  signal: AbortSignal,
): Promise<RetriedCall> {
  const retryHistory: RetryAttempt[] = [];
  for (let attempt = 0; ; attempt++) {
    const startTime = new Date(clock.now()).toISOString();
    const clientRequestId = randomUUID();
    let response: OutboundResponse | undefined;
    let error: { code: string; message: string } | undefined;
    try {
      response = await send(clientRequestId);
    } catch (err) {
      if (signal.aborted) throw err;
      error = { code: String((err as { code?: unknown }).code ?? 'ServiceRequestFailed'), message: (err as Error).message };
    }
    const retriable = error !== undefined || (response !== undefined && isRetriableStatus(response.statusCode));
    if (!retriable || attempt >= policy.count || policy.type === 'none') return { response, error, retryHistory };
    const endTime = new Date(clock.now()).toISOString();
    const entry: RetryAttempt = { startTime, endTime, code: response ? statusCodeName(response.statusCode) : (error?.code ?? 'ServiceRequestFailed'), clientRequestId };
    if (error) entry.error = error;
    else if (response) {
      entry.error = { code: entry.code, message: `The request failed with status code '${response.statusCode}'.` };
      const requestId = response.headers['x-ms-request-id'] ?? response.headers['request-id'];
      if (requestId) entry.serviceRequestId = requestId;
    }
    retryHistory.push(entry);
    const hinted = response ? retryAfterMs(response.headers, clock.now()) : undefined;
    await clock.sleep(hinted ?? retryDelay(policy, attempt + 1), signal);
  }
}
