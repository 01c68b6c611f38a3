import { z } from 'zod';
import { choiceField, requiredUpn } from '../../contract/fields.js';

export const MFA_METHODS = [
  'All',
  'Phone',
  'Authenticator',
  'Email',
  'FIDO2',
  'Software OATH',
  'Windows Hello',
  'Temporary Access Pass',
  'Platform Credential',
] as const;
export type MfaMethod = (typeof MFA_METHODS)[number];

/**
 * Spellings people use for a method that can only mean one Graph method type. Deliberately absent:
 * "OATH" (hardware or software?), "passwordless" (Authenticator, FIDO2 or Windows Hello?), "app"
 * (Authenticator or software OATH?): those are refused with the list of allowed values.
 */
export const MFA_METHOD_SYNONYMS: Readonly<Record<string, MfaMethod>> = {
  'all methods': 'All',
  everything: 'All',
  sms: 'Phone',
  'text message': 'Phone',
  'phone number': 'Phone',
  mobile: 'Phone',
  'microsoft authenticator': 'Authenticator',
  'authenticator app': 'Authenticator',
  'email otp': 'Email',
  'fido2 security key': 'FIDO2',
  'security key': 'FIDO2',
  fido: 'FIDO2',
  'software oath token': 'Software OATH',
  'software token': 'Software OATH',
  'windows hello for business': 'Windows Hello',
  whfb: 'Windows Hello',
  tap: 'Temporary Access Pass',
  'platform sso': 'Platform Credential',
};

/** "MFA Reset": remove the user's registered authentication methods (all, or one kind). */
export const mfaResetSchema = z
  .object({
    'User Email': requiredUpn('User Email', 'Sign-in name (UPN) of the user.'),
    'MFA Method to Reset': choiceField(
      'MFA Method to Reset',
      'Which kind of registered method to remove; All removes every method except the password.',
      MFA_METHODS,
      'All',
      MFA_METHOD_SYNONYMS,
    ),
  })
  .transform((raw) => ({
    userEmail: raw['User Email'],
    method: raw['MFA Method to Reset'],
  }));

export type MfaResetFields = z.output<typeof mfaResetSchema>;
