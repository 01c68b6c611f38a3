/** Public surface of the telemetry seam. */
export { track, captureTelemetry, flushTelemetry, trackStep } from './track.js';
export { redact, scrubString, isSecretKey, REDACTED } from './redact.js';
export { withSecretScope, registerSecretValue } from './secret-values.js';
export type * from './events.js';
export { allowListedHeaders, TELEMETRY_HEADERS } from './headers.js';
