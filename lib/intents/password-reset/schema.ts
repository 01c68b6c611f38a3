import { z } from 'zod';
import { booleanField, passwordField, requiredUpn } from '../../contract/fields.js';

/** "Password Reset": set a new password, supplied (policy-checked) or generated and sent by one-time link. */
export const passwordResetSchema = z
  .object({
    'User Email': requiredUpn('User Email', 'Sign-in name (UPN) of the user whose password is reset.'),
    'Temporary Password': passwordField(
      'Temporary Password',
      'Optional password to set. Left out: a strong one is generated and delivered by one-time link. Never logged.',
    ),
    'Force Change on Login': booleanField('Force Change on Login', 'Make the user choose a new password at next sign-in.', true),
  })
  .transform((raw) => ({
    userEmail: raw['User Email'],
    temporaryPassword: raw['Temporary Password'],
    forceChangeOnLogin: raw['Force Change on Login'],
  }));

export type PasswordResetFields = z.output<typeof passwordResetSchema>;

/** Fields whose values are secrets: skipped by the fields hash, telemetry and mail. */
export const passwordResetSecretFields = { raw: ['Temporary Password'], normalised: ['temporaryPassword'] } as const;
