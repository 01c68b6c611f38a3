import { z } from 'zod';
import { booleanField, optionalEmail, optionalText, requiredUpn } from '../../contract/fields.js';

/**
 * "User Offboarding" (also "Disable Account", "User Offboarding / Disable Account"). Disabling the account
 * always happens; every other step is opt-in except session revocation and the password scramble, whose
 * defaults really are true (defect 11).
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
    'Grant Manager Access': optionalEmail('Grant Manager Access', "Give this person (usually the manager) full access to the mailbox."),
  })
  .superRefine((raw, ctx) => {
    const self = raw['User Email'].toLowerCase();
    for (const key of ['Forward Email To', 'Grant Manager Access'] as const) {
      if (raw[key]?.toLowerCase() === self) {
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
