import { describe, expect, it } from 'vitest';
import { validateWebhook } from '../../../lib/contract/validate.js';
import { MAX_BODY_BYTES, MAX_FIELD_BYTES } from '../../../lib/contract/limits.js';
import { supportedIntentNames } from '../../../lib/contract/registry.js';
import { webhook } from './webhook-fixture.js';

const ok = (body: unknown, rawLength?: number) => {
  const result = validateWebhook(body, rawLength);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.request;
};
const bad = (body: unknown, rawLength?: number) => {
  const result = validateWebhook(body, rawLength);
  if (result.ok) throw new Error('expected a failure');
  return result;
};

describe('validateWebhook: envelope', () => {
  it('normalises a well-formed request', () => {
    const request = ok(webhook('Add User to Group', { 'User Email': 'jane@contoso.com', 'Group Name': 'Sales' }));
    expect(request).toMatchObject({
      intent: 'add-user-to-group',
      intentName: 'Add User to Group',
      ticketId: 5678,
      fields: { userEmail: 'jane@contoso.com', groupNames: ['Sales'] },
      meta: { contactName: 'Pat Tech', contactEmail: 'pat@msp.example', companyName: 'Contoso' },
      dryRun: false,
    });
    expect(request.fieldsHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([[null, 'null'], [[1, 2], 'a list'], ['text', 'string'], [42, 'a number']])('refuses a non-object body %j with 400', (body, described) => {
    const result = bad(body);
    expect(result.status).toBe(400);
    expect(result.problems).toEqual([expect.objectContaining({ path: 'body', message: `The request body must be a JSON object, not ${described}.` })]);
  });

  it('refuses null meta_data with 400 naming meta_data (a caller error, never a 200 or a 5xx)', () => {
    const result = bad({ ...webhook('MFA Reset', { 'User Email': 'jane@contoso.com' }), meta_data: null });
    expect(result.status).toBe(400);
    expect(result.problems).toEqual([expect.objectContaining({ path: 'meta_data', message: 'meta_data must be an object, not null.' })]);
  });

  it('refuses missing meta_data', () => {
    const { meta_data: _omit, ...body } = webhook('MFA Reset', { 'User Email': 'jane@contoso.com' });
    expect(bad(body).problems).toEqual([expect.objectContaining({ path: 'meta_data', message: 'meta_data is required and was not given.' })]);
  });

  describe('ticket_id forms', () => {
    it.each([[5678, 5678], ['5678', 5678], [' 7 ', 7], [12.0, 12]])('accepts %j as %d', (raw, expected) => {
      expect(ok({ ...webhook('MFA Reset', { 'User Email': 'j@contoso.com' }), meta_data: { ticket_id: raw } }).ticketId).toBe(expected);
    });
    it.each([12.5, '12.5', 'abc', '0x10', '-3', 0, -1, true, null, '', [], '1e3', Number.MAX_SAFE_INTEGER + 2])('refuses %j', (raw) => {
      const result = bad({ ...webhook('MFA Reset', { 'User Email': 'j@contoso.com' }), meta_data: { ticket_id: raw } });
      expect(result.problems.map((p) => p.path)).toEqual(['meta_data.ticket_id']);
      expect(result.problems[0]?.fix).toContain('whole-number');
    });
  });

  it('defaults contact and company to empty text, accepts null, refuses objects', () => {
    expect(ok({ ...webhook('MFA Reset', { 'User Email': 'j@contoso.com' }), meta_data: { ticket_id: 1, contact_name: null } }).meta).toEqual({
      contactName: '',
      contactEmail: '',
      companyName: '',
    });
    expect(bad({ ...webhook('MFA Reset', { 'User Email': 'j@contoso.com' }), meta_data: { ticket_id: 1, company_name: { a: 1 } } }).problems).toEqual([
      expect.objectContaining({ path: 'meta_data.company_name' }),
    ]);
  });

  it('ignores extra keys everywhere', () => {
    const request = ok({
      ...webhook('MFA Reset', { 'User Email': 'j@contoso.com', 'Group Type': 'Microsoft 365' }),
      meta_data: { ticket_id: 1, priority: 'high' },
      source: 'thread',
    });
    expect(request.fields).toEqual({ userEmail: 'j@contoso.com', method: 'All' });
  });

  it('treats absent or null intent_fields as no fields, and refuses non-objects', () => {
    const { intent_fields: _omit, ...body } = webhook('MFA Reset', {});
    expect(bad(body).problems.map((p) => p.path)).toEqual(['intent_fields.User Email']);
    expect(bad({ ...body, intent_fields: null }).problems.map((p) => p.path)).toEqual(['intent_fields.User Email']);
    expect(bad({ ...body, intent_fields: ['User Email'] }).problems).toEqual([
      expect.objectContaining({ path: 'intent_fields', message: 'intent_fields must be an object, not a list.' }),
    ]);
  });

  it('matches field names like intent names (case, spacing) and flags conflicting duplicates', () => {
    expect(ok(webhook('MFA Reset', { '  user   EMAIL ': 'j@contoso.com' })).fields).toMatchObject({ userEmail: 'j@contoso.com' });
    const result = bad(webhook('MFA Reset', { 'User Email': 'a@contoso.com', 'user email': 'b@contoso.com' }));
    expect(result.problems).toEqual([
      expect.objectContaining({ path: 'intent_fields.User Email', message: 'User Email is given twice with different values (as "User Email" and as "user email").' }),
    ]);
  });

  describe('dry_run', () => {
    it.each([[true, true], ['yes', true], [1, true], ['false', false], [undefined, false], ['', false]])('%j → %s', (raw, expected) => {
      expect(ok(webhook('MFA Reset', { 'User Email': 'j@contoso.com' }, { dry_run: raw })).dryRun).toBe(expected);
    });
    it('refuses other values', () => {
      expect(bad(webhook('MFA Reset', { 'User Email': 'j@contoso.com' }, { dry_run: 'perhaps' })).problems).toEqual([
        expect.objectContaining({ path: 'dry_run', fix: 'Set dry_run to one of: Yes, No, True, False, Y, N, 1 or 0.' }),
      ]);
    });
  });

  describe('intent names', () => {
    it.each(['Password Reset', 'password reset', '  PASSWORD   RESET  ', 'Password\tReset'])('%j routes to password-reset', (name) => {
      expect(ok(webhook(name, { 'User Email': 'j@contoso.com' })).intent).toBe('password-reset');
    });
    it('keeps the received name, trimmed', () => {
      expect(ok(webhook('  disable account ', { 'User Email': 'j@contoso.com' })).intentName).toBe('disable account');
    });
    it('unknown intent: 400 listing the supported names in registry order', () => {
      const result = bad(webhook('Reset Everything', {}));
      expect(result.status).toBe(400);
      expect(result.supportedIntents).toEqual(supportedIntentNames());
      expect(result.problems[0]).toMatchObject({ path: 'intent_name', message: 'Unknown intent "Reset Everything".' });
      expect(result.problems[0]?.fix).toContain('Shared Mailbox Permission');
    });
    it.each([[undefined, 'intent_name is required and was not given.'], ['   ', 'intent_name is required and was not given.'], [7, 'intent_name must be text, not a number.']])(
      'intent_name %j is a problem',
      (name, message) => {
        const result = bad({ ...webhook('x', {}), intent_name: name });
        expect(result.problems[0]).toMatchObject({ path: 'intent_name', message });
        expect(result.supportedIntents).toHaveLength(10);
      },
    );
  });

  it('reports every problem at once', () => {
    const result = bad({
      intent_name: 'Shared Mailbox Permission',
      intent_fields: { 'User Email': 'not an email', 'Permission Type': 'Read', Action: 'Delete', AutoMapping: 'sometimes' },
      meta_data: { ticket_id: 'abc' },
      dry_run: 'x',
    });
    expect(result.problems.map((p) => p.path).sort()).toEqual(
      [
        'dry_run',
        'intent_fields.Action',
        'intent_fields.AutoMapping',
        'intent_fields.Permission Type',
        'intent_fields.Shared Mailbox Email',
        'intent_fields.User Email',
        'meta_data.ticket_id',
      ].sort(),
    );
    for (const problem of result.problems) expect(problem.fix.length).toBeGreaterThan(10);
  });

  describe('size limits', () => {
    it('413 when the raw body is over 64 KB, before anything else', () => {
      const result = bad(webhook('MFA Reset', { 'User Email': 'j@contoso.com' }), MAX_BODY_BYTES + 1);
      expect(result.status).toBe(413);
      expect(result.problems[0]?.path).toBe('body');
    });
    it('accepts exactly 64 KB', () => {
      expect(validateWebhook(webhook('MFA Reset', { 'User Email': 'j@contoso.com' }), MAX_BODY_BYTES).ok).toBe(true);
    });
    it('measures the body itself when no raw length is given', () => {
      const body = webhook('MFA Reset', { 'User Email': 'j@contoso.com', filler: 'x'.repeat(MAX_BODY_BYTES) });
      expect(bad(body).status).toBe(413);
    });
    it('one field value over 4 KB is a problem on that field', () => {
      const result = bad(webhook('User Offboarding', { 'User Email': 'j@contoso.com', 'Auto Reply Message': 'é'.repeat(MAX_FIELD_BYTES / 2 + 1) }));
      expect(result.status).toBe(400);
      expect(result.problems).toEqual([
        expect.objectContaining({ path: 'intent_fields.Auto Reply Message', message: `Auto Reply Message is ${MAX_FIELD_BYTES + 2} bytes long; one field may hold at most ${MAX_FIELD_BYTES} bytes.` }),
      ]);
    });
    it('a 4 KB field value is fine', () => {
      expect(ok(webhook('User Offboarding', { 'User Email': 'j@contoso.com', 'Auto Reply Message': 'a'.repeat(MAX_FIELD_BYTES) })).fields).toMatchObject({
        autoReplyMessage: 'a'.repeat(MAX_FIELD_BYTES),
      });
    });
  });

  describe('fieldsHash', () => {
    const fields = { 'User Email': 'j@contoso.com', 'Revoke Sessions': 'yes' };
    it('aliases share an id and a fieldsHash', () => {
      const requests = ['User Offboarding', 'Disable Account', 'User Offboarding / Disable Account', 'user offboarding/disable account'].map((name) =>
        ok(webhook(name, fields)),
      );
      expect(new Set(requests.map((r) => r.intent))).toEqual(new Set(['user-offboarding']));
      expect(new Set(requests.map((r) => r.fieldsHash)).size).toBe(1);
    });
    it('is the same for equivalent spellings and different for different requests (add to group A, then B on one ticket both run)', () => {
      const a = ok(webhook('Add User to Group', { 'User Email': 'j@contoso.com', 'Group Name': 'A' }));
      const a2 = ok(webhook('Add User to Group', { 'Group Name': ' A ', 'user email': 'j@contoso.com' }));
      const b = ok(webhook('Add User to Group', { 'User Email': 'j@contoso.com', 'Group Name': 'B' }));
      expect(a.fieldsHash).toBe(a2.fieldsHash);
      expect(a.fieldsHash).not.toBe(b.fieldsHash);
    });
    it('leaves secret fields out', () => {
      const withPassword = ok(webhook('Password Reset', { 'User Email': 'j@contoso.com', 'Temporary Password': 'Correct-Horse-42' }));
      const other = ok(webhook('Password Reset', { 'User Email': 'j@contoso.com', 'Temporary Password': 'Battery-Staple-43' }));
      const none = ok(webhook('Password Reset', { 'User Email': 'j@contoso.com' }));
      expect(withPassword.fieldsHash).toBe(other.fieldsHash);
      expect(withPassword.fieldsHash).toBe(none.fieldsHash);
    });
  });
});

describe('validateWebhook: secrets', () => {
  it('registers a supplied password so telemetry scrubs it from any string in this request', async () => {
    const { withSecretScope } = await import('../../../lib/telemetry/secret-values.js');
    const { scrubString } = await import('../../../lib/telemetry/redact.js');
    withSecretScope(() => {
      const result = validateWebhook(webhook('Password Reset', { 'User Email': 'j@contoso.com', 'Temporary Password': 'Scrub-Me-Please-1' }));
      expect(result.ok).toBe(true);
      expect(scrubString('Graph echoed Scrub-Me-Please-1 back')).toBe('Graph echoed [redacted] back');
    });
  });
});
