import { randomUUID } from 'node:crypto';

/**
 * Microsoft Entra token-endpoint errors: the JSON shape of Learn's "Handling error codes in your application"
 * (error, error_description with Trace ID / Correlation ID / Timestamp, error_codes, timestamp, trace_id,
 * correlation_id, error_uri), https://learn.microsoft.com/entra/identity-platform/reference-error-codes.
 *
 * Status: `invalid_client` is 401 (RFC 6749 section 5.2; undocumented on Learn: observed as 401 for a wrong
 * client secret), every other error 400.
 */
export interface StsError {
  status: number;
  body: {
    error: string;
    error_description: string;
    error_codes: number[];
    timestamp: string;
    trace_id: string;
    correlation_id: string;
    error_uri: string;
  };
}

/** "2026-12-06 14:05:09Z", the timestamp format of the sample on Learn. */
function stsTimestamp(now = new Date()): string {
  return `${now.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

export function stsError(error: string, code: number, message: string): StsError {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = stsTimestamp();
  return {
    status: error === 'invalid_client' ? 401 : 400,
    body: {
      error,
      error_description: `AADSTS${code}: ${message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    },
  };
}

/** Every refusal of the sign-in stand-in, one constructor each, named by the AADSTS code Entra uses. */
export const sts = {
  /** AADSTS90002 InvalidTenantName (Learn table); wording undocumented: observed as below. */
  tenantNotFound: (tenant: string, error = 'invalid_request') =>
    stsError(error, 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`),
  /** AADSTS900144 (Learn table). */
  missingParameter: (name: string) => stsError('invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`),
  /** AADSTS70003 UnsupportedGrantType (Learn table). */
  unsupportedGrant: (grant: string) => stsError('unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant}'.`),
  /** AADSTS70011 InvalidScope: the sample on Learn's error-code page. */
  invalidScope: (scope: string) => stsError('invalid_scope', 70011, `The provided value for the input parameter 'scope' isn't valid. The scope ${scope} isn't valid.`),
  /** AADSTS700016 UnauthorizedClient_DoesNotMatchRequest (Learn table): no service principal in that tenant. */
  appNotInTenant: (appId: string, tenant: string) =>
    stsError(
      'unauthorized_client',
      700016,
      `Application with identifier '${appId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    ),
  /** AADSTS7000218 (Learn table). */
  noCredential: () => stsError('invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."),
  /** AADSTS7000215 (Learn table): the msp app has no secret, so any secret is wrong. */
  invalidSecret: (appId: string) => stsError('invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${appId}'.`),
  /** AADSTS90023 InvalidRequest (Learn table): only the JWT bearer assertion type exists. */
  badAssertionType: (value: string) => stsError('invalid_request', 90023, `The client_assertion_type '${value}' is not supported; use urn:ietf:params:oauth:client-assertion-type:jwt-bearer.`),
  /** AADSTS50027 InvalidJwtToken (Learn table). */
  malformedAssertion: () => stsError('invalid_request', 50027, 'JWT token is invalid or malformed.'),
  /** AADSTS700027 (Learn table). */
  badAssertionSignature: () => stsError('invalid_client', 700027, 'Client assertion failed signature validation.'),
  /** AADSTS700024; undocumented on Learn's table: observed as "Client assertion is not within its valid time range." */
  assertionExpired: (nowSec: number, nbf: number, exp: number) =>
    stsError(
      'invalid_client',
      700024,
      `Client assertion is not within its valid time range. Current time: ${new Date(nowSec * 1000).toISOString()}, assertion valid from ${new Date(nbf * 1000).toISOString()}, expiry time of assertion ${new Date(exp * 1000).toISOString()}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .`,
    ),
  /**
   * AADSTS700211 / 700212 / 700213: no federated identity credential of the app matches the assertion's issuer,
   * audience or subject. Undocumented on Learn's table: observed as 400 invalid_request with these messages (the
   * older combined code AADSTS70021 in Microsoft's azure-workload-identity troubleshooting guide has this shape).
   */
  noFederatedMatch: (what: 'issuer' | 'audience' | 'subject', value: string) =>
    stsError(
      'invalid_request',
      what === 'issuer' ? 700211 : what === 'audience' ? 700212 : 700213,
      `No matching federated identity record found for presented assertion ${what} '${value}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation`,
    ),
  /** AADSTS900561 (Learn table). */
  wrongMethod: (method: string) => stsError('invalid_request', 900561, `The endpoint only accepts POST, OPTIONS requests. Received a ${method} request.`),
} as const;
