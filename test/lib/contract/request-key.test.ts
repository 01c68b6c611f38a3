import { describe, expect, it } from 'vitest';
import { INTENTS } from '../../../lib/contract/registry.js';
import { comparable, FIELD_COMPARISONS, secretFieldsOf } from '../../../lib/contract/request-key.js';
import { validateWebhook } from '../../../lib/contract/validate.js';
import type { NormalisedRequest } from '../../../lib/contract/types.js';
import { webhook } from './webhook-fixture.js';

/**
 * The canonical request key (issue 11 finding 2): same key exactly when the tenant would see the same
 * change. Sources per comparison kind are in lib/contract/request-key.ts.
 */
function key(intent: string, fields: Record<string, unknown>, ticket: unknown = 5678): string {
  const body = webhook(intent, fields);
  (body.meta_data as Record<string, unknown>).ticket_id = ticket;
  const result = validateWebhook(body);
  if (!result.ok) expect.fail(JSON.stringify(result.problems));
  return (result.request as NormalisedRequest).fieldsHash;
}

describe('request key: declarations', () => {
  it('declares a comparison for every field every intent schema produces', () => {
    const samples: Record<string, Record<string, unknown>> = {
      'password-reset': { 'User Email': 'a@contoso.com' },
      'add-user-to-group': { 'User Email': 'a@contoso.com', 'Group Name': 'G' },
      'remove-user-from-group': { 'User Email': 'a@contoso.com', 'Group Name': 'G' },
      'license-assignment': { 'User Email': 'a@contoso.com', 'License SKU': 'E3' },
      'mfa-reset': { 'User Email': 'a@contoso.com' },
      'new-user-creation': { 'Display Name': 'A B', Email: 'a@contoso.com' },
      'user-offboarding': { 'User Email': 'a@contoso.com' },
      'shared-mailbox-permission': { 'Shared Mailbox Email': 'box@contoso.com', 'User Email': 'a@contoso.com' },
    };
    for (const intent of INTENTS) {
      const parsed = intent.schema.safeParse(samples[intent.id]);
      expect(parsed.success, intent.id).toBe(true);
      const produced = Object.keys(parsed.data as Record<string, unknown>).sort();
      expect(Object.keys(FIELD_COMPARISONS[intent.id]).sort(), intent.id).toEqual(produced);
    }
  });

  it('the fields declared secret are exactly the registry secret fields (left out of the key and telemetry)', () => {
    for (const intent of INTENTS) expect(secretFieldsOf(intent.id), intent.id).toEqual([...intent.secretFields.normalised]);
  });
});

describe('request key: comparisons', () => {
  it('addresses ignore case and surrounding spaces (UPN lookups are case-insensitive: https://learn.microsoft.com/entra/identity/hybrid/connect/plan-connect-userprincipalname)', () => {
    expect(key('Password Reset', { 'User Email': 'ben.walters@contoso.com' })).toBe(key('Password Reset', { 'User Email': '  Ben.Walters@CONTOSO.com ' }));
    expect(key('Shared Mailbox Permission', { 'Shared Mailbox Email': 'Info@contoso.com', 'User Email': 'ben@contoso.com' })).toBe(
      key('Shared Mailbox Permission', { 'Shared Mailbox Email': 'info@contoso.com', 'User Email': 'BEN@contoso.com' }),
    );
  });

  it('different users, tickets or intents still differ', () => {
    const base = key('Password Reset', { 'User Email': 'ben.walters@contoso.com' });
    expect(key('Password Reset', { 'User Email': 'ben.walter@contoso.com' })).not.toBe(base);
    expect(key('MFA Reset', { 'User Email': 'ben.walters@contoso.com' })).not.toBe(base); // different intent → different row key prefix anyway
    expect(key('Password Reset', { 'User Email': 'ben.walters@contoso.com', 'Force Change on Login': 'no' })).not.toBe(base);
  });

  it('group lists ignore case, order and repeats ($filter eq on displayName ignores case: https://learn.microsoft.com/graph/filter-query-parameter)', () => {
    const a = key('Add User to Group', { 'User Email': 'ben@contoso.com', 'Group Name': 'Finance Team; Sales' });
    expect(key('Add User to Group', { 'User Email': 'ben@contoso.com', 'Group Name': ['sales', 'FINANCE TEAM', 'Sales'] })).toBe(a);
    expect(key('Add User to Group', { 'User Email': 'ben@contoso.com', 'Group Name': 'Finance Team' })).not.toBe(a);
  });

  it('group names keep inner spacing: eq compares it, so "Finance  Team" may be another group', () => {
    expect(key('Add User to Group', { 'User Email': 'ben@contoso.com', 'Group Name': 'Finance  Team' })).not.toBe(
      key('Add User to Group', { 'User Email': 'ben@contoso.com', 'Group Name': 'Finance Team' }),
    );
  });

  it('licence names ignore case and runs of spaces, as lib/lookups/license-names.ts resolves them', () => {
    expect(key('License Assignment', { 'User Email': 'ben@contoso.com', 'License SKU': 'Microsoft 365 E3' })).toBe(
      key('License Assignment', { 'User Email': 'ben@contoso.com', 'License SKU': 'microsoft  365   e3' }),
    );
    expect(key('License Assignment', { 'User Email': 'ben@contoso.com', 'License SKU': 'SPE_E3' })).toBe(
      key('License Assignment', { 'User Email': 'ben@contoso.com', 'License SKU': 'spe_e3' }),
    );
  });

  it('free text stays case-sensitive: an auto-reply in other words or case is another request', () => {
    const base = { 'User Email': 'ben@contoso.com', 'Auto Reply Message': 'Ben has left. Write to Ann.' };
    expect(key('User Offboarding', base)).not.toBe(key('User Offboarding', { ...base, 'Auto Reply Message': 'ben has left. write to ann.' }));
    expect(key('New User Creation', { 'Display Name': 'Jane Doe', Email: 'jane@contoso.com' })).not.toBe(key('New User Creation', { 'Display Name': 'jane doe', Email: 'jane@contoso.com' }));
  });

  it('a supplied password is not part of the key', () => {
    expect(key('Password Reset', { 'User Email': 'ben@contoso.com', 'Temporary Password': 'Correct-Horse-42' })).toBe(key('Password Reset', { 'User Email': 'ben@contoso.com' }));
  });

  it('comparable() leaves absent values absent and drops empty group names', () => {
    expect(comparable('address', undefined)).toBeUndefined();
    expect(comparable('group-names', [' B ', 'a', 'b', ''])).toEqual(['a', 'b']);
    expect(comparable('secret', 'x')).toBeUndefined();
  });
});
