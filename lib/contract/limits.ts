/** Largest webhook body accepted (bytes of the raw request). Thread's payloads are a few hundred bytes. */
export const MAX_BODY_BYTES = 64 * 1024;
/** Largest single intent field value (UTF-8 bytes); the longest legitimate one is an auto-reply text. */
export const MAX_FIELD_BYTES = 4 * 1024;
