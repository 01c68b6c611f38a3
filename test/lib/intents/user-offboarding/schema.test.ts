import { describe, expect, it } from 'vitest';
import { fieldsOf, problemAt } from '../../contract/webhook-fixture.js';

const intent = 'User Offboarding';
const user = { 'User Email': 'leaver@contoso.com' };

describe('user-offboarding schema', () => {
  it('defaults: revoke sessions and password scramble TRUE (defect 11), everything else off', () => {
    expect(fieldsOf(intent, user)).toEqual({
      userEmail: 'leaver@contoso.com',
      revokeSessions: true,
      resetPassword: true,
      removeLicenses: false,
      convertToSharedMailbox: false,
      removeFromGroups: false,
      hideFromAddressList: false,
      forwardTo: undefined,
      autoReplyMessage: undefined,
      managerAccess: undefined,
    });
  });
  it.each([
    ['Revoke Sessions', 'revokeSessions', 'no', false],
    ['Revoke Sessions', 'revokeSessions', '', true],
    ['Reset Password', 'resetPassword', 'no', false],
    ['Reset Password', 'resetPassword', '', true],
    ['Remove Licenses', 'removeLicenses', 'Yes', true],
    ['Remove Licenses', 'removeLicenses', 1, true],
    ['Convert to Shared Mailbox', 'convertToSharedMailbox', 'TRUE', true],
    ['Remove Groups', 'removeFromGroups', 'y', true],
    ['Hide from GAL', 'hideFromAddressList', 'true', true],
    ['Hide from GAL', 'hideFromAddressList', '', false],
  ])('%s %j → %s=%s', (field, key, raw, expected) => {
    expect(fieldsOf(intent, { ...user, [field]: raw })[key]).toBe(expected);
  });
  it('reads the mail options', () => {
    expect(
      fieldsOf('Disable Account', { ...user, 'Forward Email To': 'boss@contoso.com', 'Auto Reply Message': ' I have left. ', 'Grant Manager Access': 'boss@contoso.com' }),
    ).toMatchObject({ forwardTo: 'boss@contoso.com', autoReplyMessage: 'I have left.', managerAccess: 'boss@contoso.com' });
  });
  it.each(['Forward Email To', 'Grant Manager Access'])('refuses %s pointing at the leaver', (field) => {
    expect(problemAt(intent, { ...user, [field]: 'LEAVER@contoso.com' }, field).message).toBe(`${field} is the departing user's own address.`);
  });
  it('refuses a malformed forwarding address and a bad flag', () => {
    expect(problemAt(intent, { ...user, 'Forward Email To': 'boss@' }, 'Forward Email To').message).toContain('nothing after the @');
    expect(problemAt(intent, { ...user, 'Remove Licenses': 'definitely' }, 'Remove Licenses').fix).toContain('Yes, No');
  });
});
