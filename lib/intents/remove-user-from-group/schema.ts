import { z } from 'zod';
import { listField, requiredUpn } from '../../contract/fields.js';

/** "Remove User from Group": the user is removed from each named group (display name or object id). */
export const removeUserFromGroupSchema = z
  .object({
    'User Email': requiredUpn('User Email', 'Sign-in name (UPN) of the user.'),
    'Group Name': listField('Group Name', 'Display name or object id of the group(s) the user is removed from.', { min: 1, max: 20 }),
  })
  .transform((raw) => ({
    userEmail: raw['User Email'],
    groupNames: raw['Group Name'],
  }));

export type RemoveUserFromGroupFields = z.output<typeof removeUserFromGroupSchema>;
