import type { AddUserToGroupFields } from '../intents/add-user-to-group/schema.js';
import type { LicenseAssignmentFields } from '../intents/license-assignment/schema.js';
import type { MfaResetFields } from '../intents/mfa-reset/schema.js';
import type { NewUserCreationFields } from '../intents/new-user-creation/schema.js';
import type { PasswordResetFields } from '../intents/password-reset/schema.js';
import type { RemoveUserFromGroupFields } from '../intents/remove-user-from-group/schema.js';
import type { SharedMailboxPermissionFields } from '../intents/shared-mailbox-permission/schema.js';
import type { UserOffboardingFields } from '../intents/user-offboarding/schema.js';
import { INTENT_REGISTRY, type RegisteredIntentId } from '../intents/registry.js';
import type { Problem } from './problem.js';

export type { Problem } from './problem.js';

/**
 * Canonical intent ids, in registry order: they also name workflows/<id>/ and lib/intents/<id>/.
 * Derived from lib/intents/registry.ts, the one intent table.
 */
export type IntentId = RegisteredIntentId;
export const INTENT_IDS = INTENT_REGISTRY.map((entry) => entry.id) as unknown as readonly [IntentId, ...IntentId[]];

/** Normalised (camelCase, typed, defaults applied) fields of each intent. */
export interface IntentFieldsMap {
  'password-reset': PasswordResetFields;
  'add-user-to-group': AddUserToGroupFields;
  'remove-user-from-group': RemoveUserFromGroupFields;
  'license-assignment': LicenseAssignmentFields;
  'mfa-reset': MfaResetFields;
  'new-user-creation': NewUserCreationFields;
  'user-offboarding': UserOffboardingFields;
  'shared-mailbox-permission': SharedMailboxPermissionFields;
}

export interface RequestMeta {
  contactName: string;
  contactEmail: string;
  companyName: string;
}

/** A validated webhook request. Discriminated on `intent`, so `fields` narrows with it. */
export type NormalisedRequest = {
  [K in IntentId]: {
    intent: K;
    /** The intent name as received, trimmed (e.g. "Disable Account" for user-offboarding). */
    intentName: string;
    ticketId: number;
    fields: IntentFieldsMap[K];
    meta: RequestMeta;
    dryRun: boolean;
    /** Canonical request key: sha256 hex of the fields as the tenant compares them, secrets left out (request-key.ts). */
    fieldsHash: string;
  };
}[IntentId];

export type ValidationResult =
  | { ok: true; request: NormalisedRequest }
  | { ok: false; status: 400 | 413; problems: Problem[]; supportedIntents?: string[] };
