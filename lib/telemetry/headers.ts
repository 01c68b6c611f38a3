/**
 * The request headers webhook_received may carry: enough to trace a request back to Thread's side
 * (content type, client, request ids, forwarding chain) and nothing that authenticates a caller.
 * Anything else, notably Authorization and Easy Auth's x-ms-client-principal, never reaches telemetry.
 */
export const TELEMETRY_HEADERS = ['Content-Type', 'User-Agent', 'X-Request-Id', 'X-Forwarded-For', 'X-Thread-Request-Id'] as const;

/** Picks the allow-listed headers that are present, e.g. `allowListedHeaders((n) => request.headers.get(n))`. */
export function allowListedHeaders(get: (name: string) => string | null | undefined): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of TELEMETRY_HEADERS) {
    const value = get(name);
    if (value !== null && value !== undefined && value !== '') picked[name] = value.slice(0, 512);
  }
  return picked;
}
