import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { IntentFieldsMap, IntentId } from './types.js';

/**
 * The canonical request key: two requests get the same idempotency key exactly when the tenant would
 * treat them as the same change (issue 11 finding 2: "Ben.Walters@contoso.com" and
 * "ben.walters@contoso.com" reset one password, so they must not run twice).
 *
 * How each field is compared is declared once, here, per intent and field; TypeScript refuses an
 * intent field without a declaration, so a new field cannot silently fall back to a guess.
 *
 * - `address`: a UPN or SMTP address. Entra ID and Exchange Online match them case-insensitively
 *   (https://learn.microsoft.com/entra/identity/hybrid/connect/plan-connect-userprincipalname — UPN
 *   lookups ignore case; Graph `GET /users/{upn}` finds the user in any case). Trimmed, lower-cased.
 * - `group-names`: group display names or object ids. Graph resolves them with `$filter=displayName eq`,
 *   and `eq` on directory strings ignores case (https://learn.microsoft.com/graph/filter-query-parameter;
 *   object ids are GUIDs, case-free). Inner spacing is kept: `eq` compares it, so "Finance  Team" is
 *   another group. Order and repeats do not change the outcome, so the list is sorted and de-duplicated.
 * - `licence`: a product name, SKU part number or SKU id; lib/lookups/license.ts and license-names.ts
 *   resolve all three ignoring case and collapsing runs of spaces, so the key does the same.
 * - `exact`: booleans, choices and country codes (already canonical after validation) and free text that
 *   is written as given (display names, job titles, an auto-reply message): compared as is.
 * - `secret`: left out of the key (a password is not part of what the request is).
 */
export type FieldComparison = 'address' | 'group-names' | 'licence' | 'exact' | 'secret';

type Declarations = { [K in IntentId]: { [F in keyof IntentFieldsMap[K]]-?: FieldComparison } };

export const FIELD_COMPARISONS: Declarations = {
  'password-reset': { userEmail: 'address', temporaryPassword: 'secret', forceChangeOnLogin: 'exact' },
  'add-user-to-group': { userEmail: 'address', groupNames: 'group-names' },
  'remove-user-from-group': { userEmail: 'address', groupNames: 'group-names' },
  'license-assignment': { userEmail: 'address', license: 'licence', action: 'exact', usageLocation: 'exact' },
  'mfa-reset': { userEmail: 'address', method: 'exact' },
  'new-user-creation': {
    displayName: 'exact',
    userPrincipalName: 'address',
    firstName: 'exact',
    lastName: 'exact',
    department: 'exact',
    jobTitle: 'exact',
    license: 'licence',
    groupNames: 'group-names',
    usageLocation: 'exact',
    managerEmail: 'address',
  },
  'user-offboarding': {
    userEmail: 'address',
    revokeSessions: 'exact',
    resetPassword: 'exact',
    removeLicenses: 'exact',
    convertToSharedMailbox: 'exact',
    removeFromGroups: 'exact',
    hideFromAddressList: 'exact',
    forwardTo: 'address',
    autoReplyMessage: 'exact',
    managerAccess: 'address',
  },
  'shared-mailbox-permission': { sharedMailboxEmail: 'address', userEmail: 'address', permissionType: 'exact', action: 'exact', autoMapping: 'exact' },
};

/** Field names declared `secret` for an intent (kept equal to the registry's secretFields by a test). */
export function secretFieldsOf(intent: IntentId): string[] {
  return Object.entries(FIELD_COMPARISONS[intent] as Record<string, FieldComparison>)
    .filter(([, how]) => how === 'secret')
    .map(([name]) => name);
}

/** One value in the form the tenant compares it in. */
export function comparable(how: FieldComparison, value: unknown): unknown {
  if (value === undefined || value === null) return value;
  switch (how) {
    case 'address':
      return typeof value === 'string' ? value.trim().toLowerCase() : value;
    case 'licence':
      return typeof value === 'string' ? value.trim().replace(/\s+/g, ' ').toLowerCase() : value;
    case 'group-names': {
      if (!Array.isArray(value)) return value;
      const names = value.map((name) => (typeof name === 'string' ? name.trim().toLowerCase() : String(name)));
      return [...new Set(names)].filter((name) => name !== '').sort();
    }
    case 'secret':
      return undefined;
    case 'exact':
      return value;
  }
}

/** The fields of one request in comparable form; fields without a declaration are kept exact. */
export function comparableFields(intent: IntentId, fields: Record<string, unknown>): Record<string, unknown> {
  const declared = FIELD_COMPARISONS[intent] as Record<string, FieldComparison | undefined>;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    const how = declared[name] ?? 'exact';
    if (how === 'secret') continue;
    out[name] = comparable(how, value);
  }
  return out;
}

/**
 * sha256 hex of the canonical JSON of the comparable fields: the request's idempotency key part. msp mode passes
 * the customer id (docs/msp-mode.md): one deployment serves several tenants, so the same ticket and fields for two
 * customers are two changes in two tenants and must get two ledger rows. Customer mode: no customer, the hash is
 * what it always was, so existing ledger rows keep matching.
 */
export function requestKeyHash(intent: IntentId, fields: Record<string, unknown>, customerId = ''): string {
  const comparable = comparableFields(intent, fields);
  const subject = customerId === '' ? comparable : { customer: customerId.toLowerCase(), fields: comparable };
  return createHash('sha256').update(canonicalJson(subject)).digest('hex');
}
