import { z } from 'zod';
import { countryField, listField, optionalEmail, newAccountUpn, optionalText, requiredText } from '../../contract/fields.js';

/**
 * "New User Creation". The password is always generated and delivered by one-time link, so
 * there is no password field. Text limits are Graph's own (displayName 256, givenName/surname 64,
 * department 64, jobTitle 128).
 */
export const newUserCreationSchema = z
  .object({
    'Display Name': requiredText('Display Name', 'Full name shown in the address book, e.g. "Jane Doe".', 256),
    Email: newAccountUpn('Email', 'Sign-in name (UPN) for the new account; its domain must be verified in the tenant.'),
    'First Name': optionalText('First Name', 'Given name.', 64),
    'Last Name': optionalText('Last Name', 'Surname.', 64),
    Department: optionalText('Department', 'Department.', 64),
    'Job Title': optionalText('Job Title', 'Job title.', 128),
    'License SKU': optionalText('License SKU', 'Licence to assign: product name, SKU part number or SKU id.', 256),
    'Group Memberships': listField('Group Memberships', 'Groups to add the new user to (display names or object ids).', { min: 0, max: 20 }),
    'Usage Location': countryField('Usage Location', 'Two-letter country code; needed to assign a licence (falls back to DEFAULT_USAGE_LOCATION).'),
    'Manager Email': optionalEmail('Manager Email', "The manager's sign-in name or e-mail address."),
  })
  .transform((raw) => ({
    displayName: raw['Display Name'],
    userPrincipalName: raw.Email,
    firstName: raw['First Name'],
    lastName: raw['Last Name'],
    department: raw.Department,
    jobTitle: raw['Job Title'],
    license: raw['License SKU'],
    groupNames: raw['Group Memberships'],
    usageLocation: raw['Usage Location'],
    managerEmail: raw['Manager Email'],
  }));

export type NewUserCreationFields = z.output<typeof newUserCreationSchema>;
