import { describe, expect, it } from 'vitest';
import { fieldsOf, problemAt } from '../../contract/webhook-fixture.js';

const intent = 'Shared Mailbox Permission';
const base = { 'Shared Mailbox Email': 'info@contoso.com', 'User Email': 'jane@contoso.com' };

describe('shared-mailbox-permission schema', () => {
  it('defaults: Full Access, Grant, AutoMapping on (also for empty values)', () => {
    const expected = { sharedMailboxEmail: 'info@contoso.com', userEmail: 'jane@contoso.com', permissionType: 'Full Access', action: 'Grant', autoMapping: true };
    expect(fieldsOf(intent, base)).toEqual(expected);
    expect(fieldsOf(intent, { ...base, 'Permission Type': '', Action: '', AutoMapping: '' })).toEqual(expected);
  });
  it.each([
    ['send as', 'Send As'], ['SendAs', 'Send As'], ['FullAccess', 'Full Access'], ['Send On Behalf', 'Send on Behalf'], ['send on behalf of', 'Send on Behalf'],
  ])('Permission Type %j → %s', (raw, expected) => {
    expect(fieldsOf(intent, { ...base, 'Permission Type': raw }).permissionType).toBe(expected);
  });
  it.each([['revoke', 'Revoke'], ['GRANT', 'Grant']])('Action %j → %s', (raw, expected) => {
    expect(fieldsOf(intent, { ...base, Action: raw }).action).toBe(expected);
  });
  it('AutoMapping no → false', () => {
    expect(fieldsOf(intent, { ...base, AutoMapping: 'no' }).autoMapping).toBe(false);
  });
  it('refuses unknown values with the allowed list', () => {
    expect(problemAt(intent, { ...base, 'Permission Type': 'Read' }, 'Permission Type').fix).toBe('Set Permission Type to one of: Full Access, Send As, Send on Behalf.');
    expect(problemAt(intent, { ...base, Action: 'Remove' }, 'Action').fix).toBe('Set Action to one of: Grant, Revoke.');
  });
  it('refuses the mailbox granting to itself', () => {
    expect(problemAt(intent, { ...base, 'User Email': 'INFO@contoso.com' }, 'User Email').message).toBe('User Email is the shared mailbox itself.');
  });
  it('requires the mailbox address', () => {
    expect(problemAt(intent, { 'User Email': 'jane@contoso.com' }, 'Shared Mailbox Email').message).toBe('Shared Mailbox Email is required and was not given.');
  });
});
