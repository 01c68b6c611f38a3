import { z } from 'zod';
import { coerceEmail } from '../../contract/addresses.js';
import { coerceBoolean, coerceText } from '../../contract/coerce.js';
import { booleanField, optionalEmail, optionalText, requiredUpn } from '../../contract/fields.js';

/**
 * "Grant Manager Access" takes either a person's address or a yes/no (issue 11 item 9): yes means the
 * user's manager as recorded in Entra ID (read by the plan with Graph `GET /users/{id}/manager`), an
 * address means that person, no (or nothing) means no one. The words are the contract's booleans
 * (Yes/No, True/False, Y/N, 1/0); anything else must be an address. `false` becomes `undefined`, so
 * "no" and an absent field are the same request (lib/contract/request-key.ts compares the field as an
 * `address`: strings lower-cased, `true` as is).
 */
function managerAccessField(label: string, description: string) {
  return z
    .unknown()
    .optional()
    .transform((value, ctx): string | true | undefined => {
      const flag = typeof value === 'string' && value.includes('@') ? undefined : coerceBoolean(value, label);
      if (flag?.ok) return flag.value === true ? true : undefined;
      const text = coerceText(value, label);
      const checked = text.ok && text.value !== undefined ? coerceEmail(text.value, label) : text;
      if (checked.ok) return checked.value;
      ctx.addIssue({
        code: 'custom',
        message: `${label} must be Yes/No or a person's e-mail address; ${checked.message.replace(/^./, (c) => c.toLowerCase())}`,
        params: { fix: `Give Yes (the user's manager from Entra ID), No, or the address of the person who should get the mailbox, e.g. jane.doe@contoso.com.` },
      });
      return z.NEVER;
    })
    .meta({
      anyOf: [{ type: 'string', format: 'email' }, { type: 'boolean' }],
      description: `${description} Accepts an e-mail address, or Yes/No, True/False, Y/N, 1/0 (Yes: the user's manager as set in Entra ID).`,
      'x-required': false,
      examples: ['yes', 'jane.doe@contoso.com'],
    });
}

/**
 * "User Offboarding" (also "Disable Account", "User Offboarding / Disable Account"). Disabling the account
 * always happens; every other step is opt-in except session revocation and the password scramble, whose
 * defaults really are true: a leaver must not keep a session or a known password.
 */
export const userOffboardingSchema = z
  .object({
    'User Email': requiredUpn('User Email', 'Sign-in name (UPN) of the user leaving.'),
    'Revoke Sessions': booleanField('Revoke Sessions', 'Sign the user out everywhere.', true),
    'Reset Password': booleanField('Reset Password', 'Set a long random password nobody knows, so the old one stops working.', true),
    'Remove Licenses': booleanField('Remove Licenses', 'Remove all directly assigned licences (after any mailbox conversion).', false),
    'Convert to Shared Mailbox': booleanField('Convert to Shared Mailbox', "Convert the user's mailbox to a shared mailbox.", false),
    'Remove Groups': booleanField('Remove Groups', 'Remove the user from all groups it can be removed from.', false),
    'Hide from GAL': booleanField('Hide from GAL', 'Hide the mailbox from the global address list.', false),
    'Forward Email To': optionalEmail('Forward Email To', 'Forward new mail to this address.'),
    'Auto Reply Message': optionalText('Auto Reply Message', 'Automatic reply sent to internal and external senders.', 4096),
    'Grant Manager Access': managerAccessField('Grant Manager Access', 'Give the manager (or this person) Full Access to the mailbox once it is a shared mailbox.'),
  })
  .superRefine((raw, ctx) => {
    const self = raw['User Email'].toLowerCase();
    for (const key of ['Forward Email To', 'Grant Manager Access'] as const) {
      const value = raw[key];
      if (typeof value === 'string' && value.toLowerCase() === self) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `${key} is the departing user's own address.`,
          params: { fix: `Give a different person's address in ${key}, or leave it out.` },
        });
      }
    }
  })
  .transform((raw) => ({
    userEmail: raw['User Email'],
    revokeSessions: raw['Revoke Sessions'],
    resetPassword: raw['Reset Password'],
    removeLicenses: raw['Remove Licenses'],
    convertToSharedMailbox: raw['Convert to Shared Mailbox'],
    removeFromGroups: raw['Remove Groups'],
    hideFromAddressList: raw['Hide from GAL'],
    forwardTo: raw['Forward Email To'],
    autoReplyMessage: raw['Auto Reply Message'],
    managerAccess: raw['Grant Manager Access'],
  }));

export type UserOffboardingFields = z.output<typeof userOffboardingSchema>;
