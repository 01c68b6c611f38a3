import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetSettingsCache } from '../../../lib/config/settings.js';
import { helper } from '../../../lib/functions/helper.js';
import { CALLER, call } from './call.js';

/** Entry points without a host: caller checks, body parsing and error mapping. */
const saved = { ...process.env };
type Functions = typeof import('../../../lib/functions/index.js');
let health: Functions['health'];
let idempotencyClaim: Functions['idempotencyClaim'];
let lookupsDomains: Functions['lookupsDomains'];
let lookupsUser: Functions['lookupsUser'];
let webhookValidate: Functions['webhookValidate'];

beforeAll(async () => {
  // Outside the Functions worker every app.http call warns that it is skipped; expected here.
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  ({ health, idempotencyClaim, lookupsDomains, lookupsUser, webhookValidate } = await import('../../../lib/functions/index.js'));
  warn.mockRestore();
  process.env.ALLOWED_CALLER_OBJECT_IDS = `${CALLER.toUpperCase()}; bbbbbbbb-0000-0000-0000-000000000000`;
  process.env.TABLES_CONNECTION_STRING = 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;';
});
beforeEach(() => resetSettingsCache());
afterAll(() => {
  process.env = saved;
  resetSettingsCache();
});

const thread = {
  intent_name: 'Add User to Group',
  intent_fields: { 'User Email': 'adele.vance@contoso.com', 'Group Name': 'Sales Team' },
  meta_data: { ticket_id: 5678, contact_name: 'Pat', contact_email: 'pat@msp.example', company_name: 'Contoso' },
};

describe('caller identity', () => {
  it('401 without an Easy Auth identity, 403 with the wrong one, 200 with an allowed one (any case)', async () => {
    expect((await call(webhookValidate, { body: thread, principal: null })).answer).toMatchObject({ status: 401, json: { error: { code: 'unauthorized' } } });
    expect((await call(webhookValidate, { body: thread, principal: 'cccccccc-0000-0000-0000-000000000000' })).answer).toMatchObject({ status: 403, json: { error: { code: 'forbidden' } } });
    expect((await call(webhookValidate, { body: thread })).answer.status).toBe(200);
  });

  it('lets nobody in when ALLOWED_CALLER_OBJECT_IDS is empty, but the anonymous health probe works', async () => {
    process.env.ALLOWED_CALLER_OBJECT_IDS = '';
    resetSettingsCache();
    expect((await call(webhookValidate, { body: thread })).answer.status).toBe(403);
    expect((await call(health, { method: 'GET', principal: null })).answer).toMatchObject({ status: 200, json: { status: 'ok' } });
    process.env.ALLOWED_CALLER_OBJECT_IDS = CALLER;
  });
});

describe('webhook/validate', () => {
  it('answers 200 with the normalised request', async () => {
    const { answer } = await call(webhookValidate, { body: thread });
    expect(answer.json).toMatchObject({ request: { intent: 'add-user-to-group', ticketId: 5678, dryRun: false } });
    expect((answer.json as { request: { fieldsHash: string } }).request.fieldsHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('answers 400 with problems and the supported intents for an unknown intent', async () => {
    const { answer } = await call(webhookValidate, { body: { ...thread, intent_name: 'Make Coffee' } });
    expect(answer.status).toBe(400);
    expect((answer.json as { supportedIntents: string[] }).supportedIntents).toContain('Password Reset');
  });

  it('answers 413 when the raw body is over the limit, and 400 for bad JSON', async () => {
    const big = JSON.stringify({ ...thread, padding: 'x'.repeat(70 * 1024) });
    expect((await call(webhookValidate, { body: big })).answer.status).toBe(413);
    const bad = await call(webhookValidate, { body: '{"intent_name": ' });
    expect(bad.answer).toMatchObject({ status: 400, json: { error: { code: 'validation_failed', message: 'The request body is not valid JSON.' } } });
  });
});

describe('error mapping', () => {
  it('answers 400 naming the problems when a helper body has the wrong shape', async () => {
    const { answer } = await call(lookupsUser, { body: { user: 42 } });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: { code: 'validation_failed', details: { problems: [{ path: 'user' }] } } });
    const claim = await call(idempotencyClaim, { body: { request: { ticketId: 1, intent: 'Add User', fieldsHash: 'zz' }, runId: 'r' } });
    expect((claim.answer.json as { error: { details: { problems: Array<{ path: string }> } } }).error.details.problems.map((p) => p.path)).toEqual(['request.intent', 'request.fieldsHash']);
  });

  it('answers 400 for a malformed tenant id on GET lookups/domains', async () => {
    expect((await call(lookupsDomains, { method: 'GET', query: '?tenantId=nope' })).answer.status).toBe(400);
  });

  it('turns an unexpected error into a generic 500 without internals, logging only the type', async () => {
    const boom = { handler: helper({ step: 'x' }, async () => { throw new TypeError('secret-ish detail at /srv/app.js:12'); }) };
    const { answer, logs } = await call(boom as never, { body: {} });
    expect(answer.status).toBe(500);
    expect(JSON.stringify(answer.json)).not.toMatch(/srv|secret-ish|TypeError/);
    expect(answer.json).toMatchObject({ error: { code: 'internal', retryable: true } });
    expect(logs.join('\n')).toMatch(/TypeError/);
  });

  it('answers storage trouble on claim as 503 storage_unavailable with Retry-After', async () => {
    const request = { ticketId: 1, intent: 'mfa-reset', fieldsHash: 'a'.repeat(64) };
    const { answer } = await call(idempotencyClaim, { body: { request, runId: 'r1' } });
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toBe('5');
    expect(answer.json).toMatchObject({ error: { code: 'storage_unavailable', retryable: true } });
  }, 60_000);
});
