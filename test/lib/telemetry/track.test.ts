import { afterEach, describe, expect, it } from 'vitest';
import { captureTelemetry, track, trackStep } from '../../../lib/telemetry/track.js';
import { clearProcessSecretValues, registerSecretValue, withSecretScope } from '../../../lib/telemetry/secret-values.js';
import { toAppInsightsEvent } from '../../../lib/telemetry/app-insights-sink.js';
import { AppError } from '../../../lib/errors/app-error.js';

afterEach(() => clearProcessSecretValues());

describe('track', () => {
  it('captures events with their custom-dimension fields plus run_id and duration_ms', () => {
    const capture = captureTelemetry();
    track({ name: 'intent_result', run_id: 'run-1', intent_name: 'MFA Reset', intent_id: 'mfa-reset', ticket_id: '5678', company_name: 'Contoso', status: 'success', duration_ms: 42 });
    track({ name: 'idempotency_skip', run_id: 'run-2', intent_name: 'MFA Reset', ticket_id: '5678', company_name: 'Contoso', dedup_key: '5678_mfa-reset_abc', duration_ms: 3 });
    capture.stop();
    track({ name: 'notification_failure', run_id: 'run-3', intent_name: 'x', ticket_id: '1', notification_error: 'smtp' });
    expect(capture.events).toEqual([
      { name: 'intent_result', run_id: 'run-1', intent_name: 'MFA Reset', intent_id: 'mfa-reset', ticket_id: '5678', company_name: 'Contoso', status: 'success', duration_ms: 42 },
      { name: 'idempotency_skip', run_id: 'run-2', intent_name: 'MFA Reset', ticket_id: '5678', company_name: 'Contoso', dedup_key: '5678_mfa-reset_abc', duration_ms: 3 },
    ]);
  });

  it('redacts the raw payload of webhook_received and scrubs request secrets from messages', async () => {
    const capture = captureTelemetry();
    await withSecretScope(async () => {
      registerSecretValue('Sup3r-Secret-Pw');
      track({
        name: 'webhook_received',
        run_id: 'run-9',
        intent_name: 'Password Reset',
        ticket_id: '5678',
        contact_name: 'Pat',
        contact_email: 'pat@msp.example',
        company_name: 'Contoso',
        raw_payload: { intent_fields: { 'User Email': 'jane@contoso.com', 'Temporary Password': 'Sup3r-Secret-Pw' } },
        raw_headers: { Authorization: 'Bearer eyJ...', 'User-Agent': 'Thread' },
      });
      track({ name: 'intent_result', run_id: 'run-9', intent_name: 'Password Reset', ticket_id: '5678', company_name: 'Contoso', status: 'failed', duration_ms: 5, error_message: 'Graph: password Sup3r-Secret-Pw rejected' });
    });
    // Outside the scope the value is no longer known (and no longer needed).
    track({ name: 'intent_result', run_id: 'run-10', intent_name: 'x', ticket_id: '1', company_name: '', status: 'failed', duration_ms: 1, error_message: 'Sup3r-Secret-Pw' });
    capture.stop();
    const [received, result, later] = capture.events;
    expect(received).toMatchObject({
      raw_payload: { intent_fields: { 'User Email': 'jane@contoso.com', 'Temporary Password': '[redacted]' } },
      raw_headers: { Authorization: '[redacted]', 'User-Agent': 'Thread' },
    });
    expect(result).toMatchObject({ error_message: 'Graph: password [redacted] rejected' });
    expect(JSON.stringify(capture.events.slice(0, 2))).not.toContain('Sup3r-Secret-Pw');
    expect(later).toMatchObject({ error_message: 'Sup3r-Secret-Pw' });
  });

  it('values registered outside any scope are scrubbed process-wide', () => {
    const capture = captureTelemetry();
    registerSecretValue('Background-Secret-1');
    track({ name: 'notification_failure', run_id: 'r', intent_name: 'x', ticket_id: '1', notification_error: 'failed for Background-Secret-1' });
    capture.stop();
    expect(capture.events[0]).toMatchObject({ notification_error: 'failed for [redacted]' });
  });

  it('trackStep records one step event per step with its outcome', async () => {
    const capture = captureTelemetry();
    const ctx = { run_id: 'run-s', intent_id: 'password-reset', ticket_id: '5678' };
    expect(await trackStep(ctx, 'resolve_user', async () => 'user-id')).toBe('user-id');
    const failure = new AppError({ code: 'forbidden', message: 'no', status: 403, fix: 'f', graphCode: 'Authorization_RequestDenied', upstreamStatus: 403 });
    await expect(trackStep(ctx, 'set_password', async () => { throw failure; })).rejects.toBe(failure);
    capture.stop();
    expect(capture.events).toHaveLength(2);
    expect(capture.events[0]).toMatchObject({ name: 'step', step: 'resolve_user', status: 'succeeded', run_id: 'run-s', intent_id: 'password-reset', ticket_id: '5678' });
    expect(capture.events[1]).toMatchObject({ name: 'step', step: 'set_password', status: 'failed', error_code: 'forbidden', graph_code: 'Authorization_RequestDenied', upstream_status: 403 });
    for (const event of capture.events) expect(typeof (event as { duration_ms: unknown }).duration_ms).toBe('number');
  });
});

describe('Application Insights mapping', () => {
  it('sends every field as a string custom dimension and numbers as measurements too', () => {
    expect(
      toAppInsightsEvent({ name: 'intent_result', run_id: 'r', intent_name: 'MFA Reset', ticket_id: '7', company_name: 'C', status: 'success', duration_ms: 12, result_summary: { action: 'methods_deleted' } }),
    ).toEqual({
      name: 'intent_result',
      properties: { event: 'intent_result', run_id: 'r', intent_name: 'MFA Reset', ticket_id: '7', company_name: 'C', status: 'success', duration_ms: '12', result_summary: '{"action":"methods_deleted"}' },
      measurements: { duration_ms: 12 },
    });
  });
});
