import azureFunctions from '@azure/functions';
import type { HttpResponseInit } from '@azure/functions';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetSettingsCache } from '../../../lib/config/settings.js';
import { requestKeyHash } from '../../../lib/contract/request-key.js';
import { captureTelemetry } from '../../../lib/telemetry/index.js';
import { CALLER } from '../functions/call.js';

/**
 * msp mode keys a request by customer (docs/msp-mode.md): the router sends the customer it identified from the
 * webhook URL as x-thread-customer-id, /api/webhook/validate folds it into fieldsHash (so the idempotency ledger
 * row, the status link and the duplicate answer belong to that customer) and into webhook_received's customer_id.
 * Customer mode sends an empty id and keeps the hash it always had.
 */
const { HttpRequest, InvocationContext } = azureFunctions;
const saved = { ...process.env };
let webhookValidate: typeof import('../../../lib/functions/webhook-validate.js')['webhookValidate'];

beforeAll(async () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  ({ webhookValidate } = await import('../../../lib/functions/webhook-validate.js'));
  warn.mockRestore();
  process.env.ALLOWED_CALLER_OBJECT_IDS = CALLER;
});
beforeEach(() => resetSettingsCache());
afterAll(() => {
  process.env = saved;
  resetSettingsCache();
});

const payload = JSON.stringify({
  intent_name: 'Password Reset',
  intent_fields: { 'User Email': 'Adele.Vance@contoso.com' },
  meta_data: { ticket_id: 4242, contact_name: 'Pat Doe', contact_email: 'pat@msp.example', company_name: 'Contoso' },
});

async function validate(customerId: string | undefined) {
  const capture = captureTelemetry();
  try {
    const request = new HttpRequest({
      method: 'POST',
      url: 'http://127.0.0.1/api/webhook/validate',
      headers: { 'content-type': 'application/json', 'x-ms-client-principal-id': CALLER, ...(customerId !== undefined ? { 'x-thread-customer-id': customerId } : {}) },
      body: { string: payload },
    });
    const answer = (await webhookValidate.handler(request, new InvocationContext({ functionName: 'webhookValidate', invocationId: 'inv-1' }))) as HttpResponseInit;
    const body = answer.jsonBody as { request: { fieldsHash: string } };
    return { status: answer.status, fieldsHash: body.request.fieldsHash, event: capture.events.find((e) => e.name === 'webhook_received') as Record<string, unknown> | undefined };
  } finally {
    capture.stop();
  }
}

describe('requestKeyHash by customer', () => {
  it('is unchanged without a customer and differs per customer', () => {
    const fields = { userEmail: 'adele.vance@contoso.com', forceChangeOnLogin: true };
    const plain = requestKeyHash('password-reset', fields);
    expect(requestKeyHash('password-reset', fields, '')).toBe(plain);
    const contoso = requestKeyHash('password-reset', fields, 'contoso');
    expect(contoso).not.toBe(plain);
    expect(requestKeyHash('password-reset', fields, 'fabrikam')).not.toBe(contoso);
    expect(requestKeyHash('password-reset', fields, 'Contoso')).toBe(contoso);
  });
});

describe('/api/webhook/validate with the router customer', () => {
  it('customer mode (no header or an empty one): the hash and event are as before', async () => {
    const none = await validate(undefined);
    const empty = await validate('');
    expect(none.status).toBe(200);
    expect(empty.fieldsHash).toBe(none.fieldsHash);
    expect(none.fieldsHash).toBe(requestKeyHash('password-reset', { userEmail: 'Adele.Vance@contoso.com', forceChangeOnLogin: true }));
    expect(none.event).toBeDefined();
    expect(none.event && 'customer_id' in none.event).toBe(false);
  });

  it('msp mode: the same ticket for two customers gets two keys, and the event names the customer', async () => {
    const contoso = await validate('contoso');
    const fabrikam = await validate('fabrikam');
    const plain = await validate(undefined);
    expect(contoso.fieldsHash).not.toBe(fabrikam.fieldsHash);
    expect(contoso.fieldsHash).not.toBe(plain.fieldsHash);
    expect(contoso.event?.customer_id).toBe('contoso');
  });

  it('ignores a malformed customer header rather than keying by it', async () => {
    const odd = await validate('contoso/../fabrikam');
    expect(odd.fieldsHash).toBe((await validate(undefined)).fieldsHash);
  });
});
