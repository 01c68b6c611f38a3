import { afterAll, describe, expect, it, vi } from 'vitest';

/**
 * The applicationinsights package must not load at import time nor without a connection string, and
 * must be set up once however many events follow. The package is replaced by a recorder here; the real
 * package's delivery is covered by app-insights.test.ts.
 */
const recorder = vi.hoisted(() => ({ loads: 0, clients: [] as string[], events: [] as Array<{ name: string; properties?: Record<string, string> }> }));

vi.mock('applicationinsights', () => {
  recorder.loads++;
  return {
    TelemetryClient: class {
      constructor(connectionString: string) {
        recorder.clients.push(connectionString);
      }
      trackEvent(event: { name: string; properties?: Record<string, string> }): void {
        recorder.events.push(event);
      }
      async flush(): Promise<void> {}
    },
  };
});

afterAll(() => {
  delete process.env.APPLICATIONINSIGHTS_CONNECTION_STRING;
});

describe('Application Insights initialisation', () => {
  it('is lazy, happens once, and receives redacted events', async () => {
    delete process.env.APPLICATIONINSIGHTS_CONNECTION_STRING;
    const telemetry = await import('../../../lib/telemetry/index.js');
    expect(recorder.loads).toBe(0);

    telemetry.track({ name: 'notification_failure', run_id: 'r0', intent_name: 'x', ticket_id: '1', notification_error: 'no sink' });
    await telemetry.flushTelemetry();
    expect(recorder.loads).toBe(0);

    process.env.APPLICATIONINSIGHTS_CONNECTION_STRING = 'InstrumentationKey=00000000-0000-0000-0000-000000000002';
    for (let i = 1; i <= 3; i++) {
      telemetry.track({ name: 'step', run_id: `r${i}`, intent_id: 'password-reset', step: 'set_password', status: 'succeeded', duration_ms: i, ...({ password: 'Leaky-Pass-1' } as object) });
    }
    await telemetry.flushTelemetry();
    expect(recorder.loads).toBe(1);
    expect(recorder.clients).toEqual(['InstrumentationKey=00000000-0000-0000-0000-000000000002']);
    expect(recorder.events.map((e) => e.properties?.run_id)).toEqual(['r1', 'r2', 'r3']);
    expect(recorder.events[0]?.properties).toMatchObject({ event: 'step', step: 'set_password', duration_ms: '1', password: '[redacted]' });
  });
});
