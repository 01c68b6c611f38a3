/** Public surface of the webhook contract. */
export { validateWebhook } from './validate.js';
export { supportedIntentNames, findIntentByName, getIntent, INTENTS, allSecretFieldNames } from './registry.js';
export type { IntentDefinition, SecretFields } from './registry.js';
export { INTENT_IDS } from './types.js';
export type { IntentId, IntentFieldsMap, NormalisedRequest, RequestMeta, ValidationResult, Problem } from './types.js';
export { intentFieldsJsonSchema, allIntentJsonSchemas } from './json-schemas.js';
export { canonicalJson } from './canonical-json.js';
export { MAX_BODY_BYTES, MAX_FIELD_BYTES } from './limits.js';
export { requestKeyHash, comparableFields, FIELD_COMPARISONS, type FieldComparison } from './request-key.js';
