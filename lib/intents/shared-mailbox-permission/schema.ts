import { z } from 'zod';
import { booleanField, choiceField, requiredEmail, requiredUpn } from '../../contract/fields.js';

export const MAILBOX_PERMISSION_TYPES = ['Full Access', 'Send As', 'Send on Behalf'] as const;
export type MailboxPermissionType = (typeof MAILBOX_PERMISSION_TYPES)[number];
export const MAILBOX_PERMISSION_ACTIONS = ['Grant', 'Revoke'] as const;
export type MailboxPermissionAction = (typeof MAILBOX_PERMISSION_ACTIONS)[number];

/** Exchange's own parameter spellings map to ours ("FullAccess" etc. already match ignoring spaces). */
const PERMISSION_SYNONYMS: Readonly<Record<string, MailboxPermissionType>> = {
  'send on behalf of': 'Send on Behalf',
  'grant send on behalf to': 'Send on Behalf',
};

/** "Shared Mailbox Permission": grant or revoke one user's permission on a shared mailbox. */
export const sharedMailboxPermissionSchema = z
  .object({
    'Shared Mailbox Email': requiredEmail('Shared Mailbox Email', 'Primary SMTP address of the shared mailbox.'),
    'User Email': requiredUpn('User Email', 'Sign-in name (UPN) of the user who gets or loses the permission.'),
    'Permission Type': choiceField('Permission Type', 'Which permission.', MAILBOX_PERMISSION_TYPES, 'Full Access', PERMISSION_SYNONYMS),
    Action: choiceField('Action', 'Grant or revoke the permission.', MAILBOX_PERMISSION_ACTIONS, 'Grant'),
    AutoMapping: booleanField('AutoMapping', 'With Full Access: let Outlook open the mailbox automatically.', true),
  })
  .superRefine((raw, ctx) => {
    if (raw['Shared Mailbox Email'].toLowerCase() === raw['User Email'].toLowerCase()) {
      ctx.addIssue({
        code: 'custom',
        path: ['User Email'],
        message: 'User Email is the shared mailbox itself.',
        params: { fix: 'Put the person who needs access in User Email and the shared mailbox in Shared Mailbox Email.' },
      });
    }
  })
  .transform((raw) => ({
    sharedMailboxEmail: raw['Shared Mailbox Email'],
    userEmail: raw['User Email'],
    permissionType: raw['Permission Type'],
    action: raw.Action,
    autoMapping: raw.AutoMapping,
  }));

export type SharedMailboxPermissionFields = z.output<typeof sharedMailboxPermissionSchema>;
