import { z } from 'zod';
import { listField, requiredUpn } from '../../contract/fields.js';

/** "Add User to Group": the user is added to each named group (display name or object id). */
export const addUserToGroupSchema = z
  .object({
    'User Email': requiredUpn('User Email', 'Sign-in name (UPN) of the user.'),
    'Group Name': listField('Group Name', 'Display name or object id of the group(s) the user is added to.', { min: 1, max: 20 }),
  })
  .transform((raw) => ({
    userEmail: raw['User Email'],
    groupNames: raw['Group Name'],
  }));

export type AddUserToGroupFields = z.output<typeof addUserToGroupSchema>;
