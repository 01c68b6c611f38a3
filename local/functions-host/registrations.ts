import type { HttpFunctionOptions, HttpMethod, TimerFunctionOptions } from '@azure/functions';
import azureFunctions from '@azure/functions';

/**
 * Which functions the helpers app registers. Two sources, merged:
 * - while lib/functions/index.ts is first imported, the app.http / app.get / ... / app.timer calls
 *   themselves are recorded (so even a registration that is not exported is served, as the worker
 *   would serve it);
 * - the module's exports (every registration object is exported under its function name), which
 *   still works when the module was already imported earlier in the process.
 */
export interface Registrations {
  http: Map<string, HttpFunctionOptions>;
  timers: Map<string, TimerFunctionOptions>;
}

export function collectRegistrations(exports: Record<string, unknown>, into: Registrations = { http: new Map(), timers: new Map() }): Registrations {
  for (const [name, value] of Object.entries(exports)) {
    if (!value || typeof value !== 'object' || typeof (value as { handler?: unknown }).handler !== 'function') continue;
    const options = value as Record<string, unknown>;
    if (typeof options.schedule === 'string') into.timers.set(name, value as TimerFunctionOptions);
    else if (typeof options.route === 'string' || Array.isArray(options.methods)) into.http.set(name, value as HttpFunctionOptions);
  }
  return into;
}

type Recorder = Record<string, (name: string, options: unknown) => void>;
const HTTP_SHORTCUTS: Record<string, HttpMethod> = { get: 'GET', post: 'POST', put: 'PUT', patch: 'PATCH', deleteRequest: 'DELETE' };

/** Imports `load()` with app.http & co. recording instead of registering; returns both sources merged. */
export async function importRegistrations(load: () => Promise<Record<string, unknown>>): Promise<Registrations> {
  const app = azureFunctions.app as unknown as Recorder;
  const found: Registrations = { http: new Map(), timers: new Map() };
  const normalise = (options: unknown): Record<string, unknown> => (typeof options === 'function' ? { handler: options } : { ...(options as object) });
  const replaced: Recorder = {
    http: (name, options) => void found.http.set(name, normalise(options) as unknown as HttpFunctionOptions),
    timer: (name, options) => void found.timers.set(name, normalise(options) as unknown as TimerFunctionOptions),
    ...Object.fromEntries(
      Object.entries(HTTP_SHORTCUTS).map(([fn, method]) => [fn, (name: string, options: unknown) => void found.http.set(name, { ...normalise(options), methods: [method] } as unknown as HttpFunctionOptions)]),
    ),
  };
  const originals: Recorder = {};
  for (const [fn, recorder] of Object.entries(replaced)) {
    originals[fn] = app[fn] as Recorder[string];
    app[fn] = recorder;
  }
  try {
    return collectRegistrations(await load(), found);
  } finally {
    for (const [fn, original] of Object.entries(originals)) app[fn] = original;
  }
}
