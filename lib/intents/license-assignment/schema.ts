import { z } from 'zod';
import { choiceField, countryField, requiredText, requiredUpn } from '../../contract/fields.js';

export const LICENSE_ACTIONS = ['Assign', 'Remove'] as const;
export type LicenseAction = (typeof LICENSE_ACTIONS)[number];

/**
 * "License Assignment". `license` stays as typed (friendly name, skuPartNumber or skuId): it is resolved
 * against the tenant's subscribedSkus later, never here. Only Assign/Remove are accepted, so "Unassign"
 * is refused rather than silently assigning.
 */
export const licenseAssignmentSchema = z
  .object({
    'User Email': requiredUpn('User Email', 'Sign-in name (UPN) of the user.'),
    'License SKU': requiredText('License SKU', 'Licence to assign or remove: product name (e.g. "Microsoft 365 E3"), SKU part number (SPE_E3) or SKU id.'),
    Action: choiceField('Action', 'Whether to assign or remove the licence.', LICENSE_ACTIONS, 'Assign'),
    'Usage Location': countryField('Usage Location', "Two-letter country code set on the user first if the user has none (licences need one)."),
  })
  .transform((raw) => ({
    userEmail: raw['User Email'],
    license: raw['License SKU'],
    action: raw.Action,
    usageLocation: raw['Usage Location'],
  }));

export type LicenseAssignmentFields = z.output<typeof licenseAssignmentSchema>;
