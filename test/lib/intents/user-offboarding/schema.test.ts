import { describe, expect, it } from 'vitest';
import { requestKeyHash } from '../../../../lib/contract/request-key.js';
import { fieldsOf, problemAt } from '../../contract/webhook-fixture.js';

const intent = 'User Offboarding';
const user = { 'User Email': 'leaver@contoso.com' };

describe('user-offboarding schema', () => {
  it('defaults: revoke sessions and password scramble TRUE, everything else off', () => {
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
  // Issue 11 item 9: "Grant Manager Access" takes the contract's boolean words or an address.
  it.each([
    ['yes', true],
    ['Y', true],
    ['TRUE', true],
    [true, true],
    [1, true],
    ['1', true],
    ['no', undefined],
    ['n', undefined],
    [false, undefined],
    [0, undefined],
    ['', undefined],
    [' Boss@Contoso.com ', 'Boss@Contoso.com'],
  ])('Grant Manager Access %j → managerAccess=%j', (raw, expected) => {
    expect(fieldsOf(intent, { ...user, 'Grant Manager Access': raw }).managerAccess).toBe(expected);
  });
  it('keys Grant Manager Access as one request whatever the spelling (lib/contract/request-key.ts: address comparison)', () => {
    const key = (raw: unknown) => requestKeyHash('user-offboarding', fieldsOf(intent, { ...user, 'Grant Manager Access': raw }));
    expect(key('yes')).toBe(key(true));
    expect(key('Y')).toBe(key(1));
    expect(key('no')).toBe(key(undefined));
    expect(key('Boss@Contoso.com')).toBe(key('boss@contoso.com'));
    expect(key('yes')).not.toBe(key('no'));
    expect(key('yes')).not.toBe(key('boss@contoso.com'));
  });
  it('refuses a Grant Manager Access that is neither yes/no nor an address, saying both are accepted', () => {
    const problem = problemAt(intent, { ...user, 'Grant Manager Access': 'the boss' }, 'Grant Manager Access');
    expect(problem.message).toMatch(/must be Yes\/No or a person's e-mail address/);
    expect(problem.fix).toContain("Yes (the user's manager from Entra ID)");
    expect(problemAt(intent, { ...user, 'Grant Manager Access': 'boss@' }, 'Grant Manager Access').message).toContain('nothing after the @');
  });
  it('refuses a malformed forwarding address and a bad flag', () => {
    expect(problemAt(intent, { ...user, 'Forward Email To': 'boss@' }, 'Forward Email To').message).toContain('nothing after the @');
    expect(problemAt(intent, { ...user, 'Remove Licenses': 'definitely' }, 'Remove Licenses').fix).toContain('Yes, No');
  });
});
