import type { TelemetryEvent } from './events.js';

/**
 * Sends redacted events to Application Insights through the applicationinsights (v3) package. The
 * package is imported only when the first event is tracked with a connection string set: importing it
 * costs cold-start time and it must never start at import time of the helpers.
 */
interface EventClient {
  trackEvent(telemetry: { name: string; properties?: Record<string, string>; measurements?: Record<string, number> }): void;
  flush(): Promise<void>;
}

const MAX_PENDING = 1000;
let client: EventClient | undefined;
let loading: Promise<void> | undefined;
let pending: TelemetryEvent[] = [];

/**
 * Every value as a string custom property (nested values as JSON), numbers also as custom measurements:
 * Application Insights custom properties are strings and measurements numbers
 * (https://learn.microsoft.com/azure/azure-monitor/app/api-custom-events-metrics).
 */
export function toAppInsightsEvent(event: TelemetryEvent): { name: string; properties: Record<string, string>; measurements: Record<string, number> } {
  const properties: Record<string, string> = { event: event.name };
  const measurements: Record<string, number> = {};
  for (const [key, value] of Object.entries(event)) {
    if (key === 'name' || value === undefined) continue;
    if (typeof value === 'number') measurements[key] = value;
    properties[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return { name: event.name, properties, measurements };
}

function start(connectionString: string): Promise<void> {
  loading ??= import('applicationinsights')
    .then((module) => {
      client = new module.TelemetryClient(connectionString, { useGlobalProviders: false }) as unknown as EventClient;
      const queued = pending;
      pending = [];
      for (const event of queued) client.trackEvent(toAppInsightsEvent(event));
    })
    .catch(() => {
      // Telemetry must never break a helper; drop what was queued and stay a no-op.
      pending = [];
    });
  return loading;
}

/** Takes an already redacted event. No connection string: nothing happens (and nothing is printed). */
export function sendToAppInsights(event: TelemetryEvent, connectionString: string | undefined): void {
  if (!connectionString) return;
  if (client) {
    client.trackEvent(toAppInsightsEvent(event));
    return;
  }
  if (pending.length < MAX_PENDING) pending.push(event);
  void start(connectionString);
}

/** Waits for the package to load and pushes buffered telemetry out (call before a process exits). */
export async function flushAppInsights(): Promise<void> {
  if (loading) await loading;
  if (client) await client.flush().catch(() => undefined);
}
