import { sendToAppInsights, flushAppInsights } from './app-insights-sink.js';
import type { StepEvent, TelemetryEvent } from './events.js';
import { redact } from './redact.js';

/** THE telemetry seam: every helper event goes through track(), which redacts before anything leaves. */
type Sink = (event: TelemetryEvent) => void;
const captures = new Set<Sink>();

export function track(event: TelemetryEvent): void {
  let safe: TelemetryEvent;
  try {
    safe = redact(event);
  } catch {
    return; // an event that cannot even be copied is dropped rather than sent unredacted
  }
  for (const sink of captures) sink(safe);
  sendToAppInsights(safe, process.env.APPLICATIONINSIGHTS_CONNECTION_STRING);
}

/** Records every tracked event (already redacted) until stop(); for tests. */
export function captureTelemetry(): { events: TelemetryEvent[]; stop(): void } {
  const events: TelemetryEvent[] = [];
  const sink: Sink = (event) => events.push(event);
  captures.add(sink);
  return { events, stop: () => captures.delete(sink) };
}

export async function flushTelemetry(): Promise<void> {
  await flushAppInsights();
}

/**
 * Runs one step and tracks a `step` event with its duration and outcome; the step's error (if any) is
 * rethrown unchanged. Error fields are read from AppError-shaped errors without importing them here.
 */
export async function trackStep<T>(
  context: { run_id: string; intent_id: string; ticket_id?: string; customer_id?: string },
  step: string,
  fn: () => Promise<T>,
): Promise<T> {
  const started = performance.now();
  const base: Omit<StepEvent, 'status' | 'duration_ms'> = { name: 'step', ...context, step };
  try {
    const result = await fn();
    track({ ...base, status: 'succeeded', duration_ms: Math.round(performance.now() - started) });
    return result;
  } catch (err) {
    const info = (err ?? {}) as { code?: unknown; graphCode?: unknown; upstreamStatus?: unknown };
    track({
      ...base,
      status: 'failed',
      duration_ms: Math.round(performance.now() - started),
      ...(typeof info.code === 'string' ? { error_code: info.code } : {}),
      ...(typeof info.graphCode === 'string' ? { graph_code: info.graphCode } : {}),
      ...(typeof info.upstreamStatus === 'number' ? { upstream_status: info.upstreamStatus } : {}),
    });
    throw err;
  }
}
