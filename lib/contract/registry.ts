import type { z } from 'zod';
import { addUserToGroupSchema } from '../intents/add-user-to-group/schema.js';
import { licenseAssignmentSchema } from '../intents/license-assignment/schema.js';
import { mfaResetSchema } from '../intents/mfa-reset/schema.js';
import { newUserCreationSchema } from '../intents/new-user-creation/schema.js';
import { passwordResetSchema, passwordResetSecretFields } from '../intents/password-reset/schema.js';
import { removeUserFromGroupSchema } from '../intents/remove-user-from-group/schema.js';
import { sharedMailboxPermissionSchema } from '../intents/shared-mailbox-permission/schema.js';
import { userOffboardingSchema } from '../intents/user-offboarding/schema.js';
import { INTENT_REGISTRY } from '../intents/registry.js';
import { nameKey } from './intent-name.js';
import type { IntentFieldsMap, IntentId } from './types.js';

/**
 * The intents the helpers understand: lib/intents/registry.ts (the one intent table, whose order is also
 * the order of the supported names listed when an intent is unknown) with each id's field schema from
 * lib/intents/<id>/schema.ts. Each id has one display name plus aliases; every alias routes to the same
 * id, schema and idempotency key.
 */
export interface SecretFields {
  /** Raw Thread field names ("Temporary Password"). */
  raw: readonly string[];
  /** Keys in the normalised fields ("temporaryPassword"). */
  normalised: readonly string[];
}

export interface IntentDefinition<K extends IntentId = IntentId> {
  id: K;
  displayName: string;
  /** Every accepted intent name, display name first. */
  names: readonly string[];
  schema: z.ZodType<IntentFieldsMap[K]>;
  /** Raw field names the schema reads, in declaration order. */
  fieldNames: readonly string[];
  secretFields: SecretFields;
}

interface ShapedSchema<Out> extends z.ZodType<Out> {
  in: { shape: Record<string, unknown> };
}

const NO_SECRETS: SecretFields = { raw: [], normalised: [] };

interface SchemaBinding<K extends IntentId> {
  schema: ShapedSchema<IntentFieldsMap[K]>;
  secretFields?: SecretFields;
}

/** Every registered id must have its schema (the mapped type makes a missing one a compile error). */
const SCHEMAS: { [K in IntentId]: SchemaBinding<K> } = {
  'password-reset': { schema: passwordResetSchema, secretFields: passwordResetSecretFields },
  'add-user-to-group': { schema: addUserToGroupSchema },
  'remove-user-from-group': { schema: removeUserFromGroupSchema },
  'license-assignment': { schema: licenseAssignmentSchema },
  'mfa-reset': { schema: mfaResetSchema },
  'new-user-creation': { schema: newUserCreationSchema },
  'user-offboarding': { schema: userOffboardingSchema },
  'shared-mailbox-permission': { schema: sharedMailboxPermissionSchema },
};

function define<K extends IntentId>(id: K, names: readonly [string, ...string[]]): IntentDefinition<K> {
  const { schema, secretFields = NO_SECRETS } = SCHEMAS[id] as SchemaBinding<K>;
  return { id, displayName: names[0], names, schema, fieldNames: Object.keys(schema.in.shape), secretFields };
}

export const INTENTS: readonly IntentDefinition[] = INTENT_REGISTRY.map((entry) => define(entry.id, entry.names));

const byName = new Map<string, IntentDefinition>();
const byId = new Map<IntentId, IntentDefinition>();
for (const intent of INTENTS) {
  byId.set(intent.id, intent);
  for (const name of intent.names) byName.set(nameKey(name), intent);
}

/** Looks an intent up by any accepted name (trim, case and whitespace insensitive). */
export function findIntentByName(name: string): IntentDefinition | undefined {
  return byName.get(nameKey(name));
}

export function getIntent<K extends IntentId>(id: K): IntentDefinition<K> {
  const intent = byId.get(id);
  if (!intent) throw new Error(`Unknown intent id: ${id}`);
  return intent as IntentDefinition<K>;
}

/** Every accepted intent name, registry order, aliases included (10 names). */
export function supportedIntentNames(): string[] {
  return INTENTS.flatMap((intent) => intent.names);
}

/** Every secret raw field name across intents, for redaction of payloads that were not parsed. */
export function allSecretFieldNames(): string[] {
  return INTENTS.flatMap((intent) => intent.secretFields.raw);
}
