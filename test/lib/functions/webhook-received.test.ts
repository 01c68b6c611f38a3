import azureFunctions from '@azure/functions';
import type { HttpResponseInit } from '@azure/functions';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetSettingsCache } from '../../../lib/config/settings.js';
import { captureTelemetry, type WebhookReceivedEvent } from '../../../lib/telemetry/index.js';
import { CALLER } from './call.js';

/** webhook_received: emitted by /api/webhook/validate for every payload an allowed caller sends, redacted. */
const { HttpRequest, InvocationContext } = azureFunctions;
const saved = { ...process.env };
let webhookValidate: typeof import('../../../lib/functions/webhook-validate.js')['webhookValidate'];

beforeAll(async () => {
  // Outside the Functions worker app.http warns that it is skipped; expected here.
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  ({ webhookValidate } = await import('../../../lib/functions/webhook-validate.js'));
  warn.mockRestore();
  process.env.ALLOWED_CALLER_OBJECT_IDS = CALLER;
  process.env.TABLES_CONNECTION_STRING = 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;';
});
beforeEach(() => resetSettingsCache());
afterAll(() => {
  process.env = saved;
  resetSettingsCache();
});

const SUPPLIED = 'Zebra-Cactus-7781!';

type Received = WebhookReceivedEvent & { duration_ms?: number };

async function validate(body: string, headers: Record<string, string> = {}, principal: string | null = CALLER) {
  const capture = captureTelemetry();
  try {
    const request = new HttpRequest({
      method: 'POST',
      url: 'http://127.0.0.1/api/webhook/validate',
      headers: { 'content-type': 'application/json', ...(principal ? { 'x-ms-client-principal-id': principal } : {}), ...headers },
      body: { string: body },
    });
    const context = new InvocationContext({ functionName: 'webhookValidate', invocationId: 'inv-123' });
    const answer = (await webhookValidate.handler(request, context)) as HttpResponseInit;
    const events = capture.events.filter((e): e is Received => e.name === 'webhook_received');
    return { status: answer.status, events };
  } finally {
    capture.stop();
  }
}

const valid = {
  intent_name: '  password   RESET ',
  intent_fields: { 'User Email': 'adele.vance@contoso.com', 'Temporary Password': SUPPLIED },
  meta_data: { ticket_id: '4242', contact_name: 'Pat Doe', contact_email: 'pat@msp.example', company_name: 'Contoso' },
  dry_run: 'yes',
};

describe('webhook_received telemetry', () => {
  it('describes a valid payload: router run id, forwarded Thread headers, password redacted', async () => {
    const { status, events } = await validate(JSON.stringify(valid), {
      'x-ms-workflow-run-id': '08584000000000000000000000000CU01',
      'x-thread-header-user-agent': 'Thread-Webhooks/2.1',
      'x-thread-header-x-thread-request-id': 'thr-9',
      'x-thread-header-x-request-id': '',
      // The Http action's own headers are not Thread's and are not reported when forwarded ones exist.
      'user-agent': 'azure-logic-apps/1.0',
      authorization: 'Bearer not-for-telemetry',
    });
    expect(status).toBe(200);
    expect(events).toHaveLength(1);
    const event = events[0]!;
    expect(event).toMatchObject({
      run_id: '08584000000000000000000000000CU01',
      intent_name: 'password   RESET',
      intent_id: 'password-reset',
      ticket_id: '4242',
      contact_name: 'Pat Doe',
      contact_email: 'pat@msp.example',
      company_name: 'Contoso',
      dry_run: true,
      raw_headers: { 'User-Agent': 'Thread-Webhooks/2.1', 'X-Thread-Request-Id': 'thr-9' },
      raw_payload: { intent_fields: { 'User Email': 'adele.vance@contoso.com', 'Temporary Password': '[redacted]' }, meta_data: { ticket_id: '4242' } },
    });
    expect(event.raw_headers).not.toHaveProperty('X-Request-Id');
    expect(typeof event.duration_ms).toBe('number');
    expect(event.duration_ms).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(events)).not.toContain(SUPPLIED);
    expect(JSON.stringify(events)).not.toContain('not-for-telemetry');
  });

  it('is emitted for an invalid payload too, with what could be read and no password', async () => {
    const bad = { intent_name: 'Password Reset', intent_fields: { 'Temporary Password': SUPPLIED, Note: `pw is ${SUPPLIED}` }, meta_data: { ticket_id: 'abc', contact_name: 'Pat' } };
    const { status, events } = await validate(JSON.stringify(bad), { 'user-agent': 'curl/8.0' });
    expect(status).toBe(400);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ run_id: 'inv-123', intent_name: 'Password Reset', ticket_id: 'abc', contact_name: 'Pat', contact_email: '', raw_headers: { 'User-Agent': 'curl/8.0' } });
    expect(events[0]).not.toHaveProperty('intent_id');
    // Redacted by key and, inside free text, by value (the validator registers the supplied password).
    expect(JSON.stringify(events)).not.toContain(SUPPLIED);
  });

  it('reports an unknown intent name and a body that is not JSON without keeping its text', async () => {
    const unknown = await validate(JSON.stringify({ intent_fields: {}, meta_data: { ticket_id: 1 } }));
    expect(unknown.events[0]).toMatchObject({ intent_name: 'unknown', ticket_id: '1' });
    const notJson = await validate(`{"Temporary Password": "${SUPPLIED}"`);
    expect(notJson.status).toBe(400);
    expect(notJson.events).toHaveLength(1);
    expect(notJson.events[0]).toMatchObject({ intent_name: 'unknown', raw_payload: '[body is not JSON]' });
    expect(JSON.stringify(notJson.events)).not.toContain(SUPPLIED);
  });

  it('is not emitted for a caller Easy Auth did not admit', async () => {
    const { status, events } = await validate(JSON.stringify(valid), {}, null);
    expect(status).toBe(401);
    expect(events).toEqual([]);
  });
});
