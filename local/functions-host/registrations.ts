import type { HttpFunctionOptions, TimerFunctionOptions } from '@azure/functions';

/**
 * Picks the function registrations out of a module's exports (lib/functions/index.ts re-exports
 * every registration object under the same name it passes to app.http / app.timer).
 */
export interface Registrations {
  http: Map<string, HttpFunctionOptions>;
  timers: Map<string, TimerFunctionOptions>;
}

export function collectRegistrations(exports: Record<string, unknown>): Registrations {
  const http = new Map<string, HttpFunctionOptions>();
  const timers = new Map<string, TimerFunctionOptions>();
  for (const [name, value] of Object.entries(exports)) {
    if (!value || typeof value !== 'object' || typeof (value as { handler?: unknown }).handler !== 'function') continue;
    const options = value as Record<string, unknown>;
    if (typeof options.schedule === 'string') timers.set(name, value as TimerFunctionOptions);
    else if (typeof options.route === 'string' || Array.isArray(options.methods)) http.set(name, value as HttpFunctionOptions);
  }
  return { http, timers };
}
