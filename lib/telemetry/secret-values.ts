import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Secret VALUES known during a request (a supplied or generated password, a link key), so they can be
 * scrubbed from any string that reaches telemetry, even one a developer did not expect to hold them
 * (an upstream error message echoing the request, for example).
 *
 * Values live in the request's async scope and die with it. Outside a scope they go to a small
 * process-wide ring so a value registered by background work is still scrubbed for a while.
 */
const scope = new AsyncLocalStorage<Set<string>>();
const PROCESS_RING_SIZE = 64;
const processRing: string[] = [];
/** Shorter values would scrub innocent text ("abc" inside words) and are never real secrets here. */
const MIN_SECRET_LENGTH = 6;

/** Runs `fn` with its own set of registered secret values (one per helper request). */
export function withSecretScope<T>(fn: () => T): T {
  return scope.run(new Set<string>(), fn);
}

export function registerSecretValue(value: string | undefined): void {
  if (value === undefined || value.length < MIN_SECRET_LENGTH) return;
  const current = scope.getStore();
  if (current) {
    current.add(value);
    return;
  }
  if (processRing.includes(value)) return;
  processRing.push(value);
  if (processRing.length > PROCESS_RING_SIZE) processRing.shift();
}

/** Longest first, so a secret containing another is replaced whole. */
export function knownSecretValues(): string[] {
  const values = new Set<string>(processRing);
  for (const value of scope.getStore() ?? []) values.add(value);
  return [...values].sort((a, b) => b.length - a.length);
}

/** Forgets process-wide values (tests). */
export function clearProcessSecretValues(): void {
  processRing.length = 0;
}
