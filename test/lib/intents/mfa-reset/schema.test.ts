import { describe, expect, it } from 'vitest';
import { MFA_METHODS } from '../../../../lib/intents/mfa-reset/schema.js';
import { fieldsOf, problemAt } from '../../contract/webhook-fixture.js';

const intent = 'MFA Reset';
const user = { 'User Email': 'jane@contoso.com' };
const method = (raw: unknown) => fieldsOf(intent, { ...user, 'MFA Method to Reset': raw }).method;

describe('mfa-reset schema', () => {
  it('defaults to All, also for an empty value', () => {
    expect(fieldsOf(intent, user)).toEqual({ userEmail: 'jane@contoso.com', method: 'All' });
    expect(method('')).toBe('All');
  });
  it.each(MFA_METHODS.map((m) => [m.toUpperCase(), m]))('%j → %s', (raw, expected) => {
    expect(method(raw)).toBe(expected);
  });
  it.each([
    ['SMS', 'Phone'], ['text message', 'Phone'], ['Microsoft Authenticator', 'Authenticator'], ['security key', 'FIDO2'],
    ['fido2', 'FIDO2'], ['software oath token', 'Software OATH'], ['Windows Hello for Business', 'Windows Hello'], ['windows hello', 'Windows Hello'],
    ['WHfB', 'Windows Hello'], ['TAP', 'Temporary Access Pass'], ['temporary-access-pass', 'Temporary Access Pass'], ['platform sso', 'Platform Credential'],
  ])('synonym %j → %s', (raw, expected) => {
    expect(method(raw)).toBe(expected);
  });
  it.each(['OATH', 'passwordless', 'app', 'password', 'hardware token'])('ambiguous or unknown %j is refused with the allowed values', (raw) => {
    const problem = problemAt(intent, { ...user, 'MFA Method to Reset': raw }, 'MFA Method to Reset');
    expect(problem.fix).toBe(`Set MFA Method to Reset to one of: ${MFA_METHODS.join(', ')}.`);
  });
});
