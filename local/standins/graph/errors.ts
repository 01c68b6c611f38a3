/**
 * Graph's error envelope and the canonical errors the stand-in returns.
 *
 * Status codes, codes and messages follow Graph's documented errors (https://learn.microsoft.com/graph/errors and
 * each API page); where Microsoft does not document a text, the wording chosen here is listed in docs/graph-stand-in.md.
 */

export interface GraphErrorOptions {
  /** Conflict errors carry `details` next to `innerError` (https://learn.microsoft.com/graph/errors). */
  details?: Array<{ target?: string; code: string; message?: string }>;
  /** Authentication-method errors repeat the message inside innerError (https://learn.microsoft.com/graph/errors). */
  repeatMessageInInnerError?: boolean;
  /** Throttling puts code/status/message inside innerError (https://learn.microsoft.com/graph/throttling). */
  innerError?: Record<string, string>;
  headers?: Record<string, string>;
  /** A body that is not a Graph envelope at all (the MFA back end's routing error). */
  rawBody?: unknown;
}

export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly options: GraphErrorOptions = {},
  ) {
    super(message);
    this.name = 'GraphError';
  }
}

export interface RequestIds {
  requestId: string;
  clientRequestId: string;
  /** ISO date without milliseconds or zone, as Graph writes it: 2021-05-18T19:03:10 */
  date: string;
}

export function graphDate(now = new Date()): string {
  return now.toISOString().slice(0, 19);
}

export function errorBody(err: GraphError, ids: RequestIds): unknown {
  if (err.options.rawBody !== undefined) return err.options.rawBody;
  const inner: Record<string, string> = {
    ...(err.options.repeatMessageInInnerError ? { message: err.message } : {}),
    ...(err.options.innerError ?? {}),
    date: ids.date,
    'request-id': ids.requestId,
    'client-request-id': ids.clientRequestId,
  };
  const body: Record<string, unknown> = { code: err.code, message: err.message, innerError: inner };
  if (err.options.details) body.details = err.options.details;
  return { error: body };
}

const INSUFFICIENT = 'Insufficient privileges to complete the operation.';
const ON_PREM_MASTERED =
  'Unable to update the specified properties for on-premises mastered Directory Sync objects or objects currently undergoing migration.';

/** Factories for every error the stand-in produces, so wording lives in one place. */
export const errors = {
  notFound: (given: string) =>
    new GraphError(404, 'Request_ResourceNotFound', `Resource '${given}' does not exist or one of its queried reference-property objects are not present.`),
  forbidden: () => new GraphError(403, 'Authorization_RequestDenied', INSUFFICIENT),
  onPremMastered: () => new GraphError(400, 'Request_BadRequest', ON_PREM_MASTERED),
  badRequest: (message: string) => new GraphError(400, 'Request_BadRequest', message),
  unsupportedQuery: (message = 'Unsupported Query.') => new GraphError(400, 'Request_UnsupportedQuery', message),
  unsupportedFilterProperty: (prop: string, resource: string) =>
    new GraphError(400, 'Request_UnsupportedQuery', `Unsupported or invalid query filter clause specified for property '${prop}' of resource '${resource}'.`),
  filterSyntax: (position: number, filter: string) =>
    new GraphError(400, 'BadRequest', `Invalid filter clause: Syntax error at position ${position} in '${filter}'.`),
  invalidFilter: (detail: string) => new GraphError(400, 'BadRequest', `Invalid filter clause: ${detail}`),
  segmentNotFound: (segment: string) => new GraphError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`),
  methodNotAllowed: () => new GraphError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.'),
  bodyRead: (message: string) => new GraphError(400, 'RequestBodyRead', message),
  countNotSupported: () => new GraphError(400, 'Request_BadRequest', '$count is not currently supported.'),
  searchNeedsHeader: () =>
    new GraphError(
      400,
      'Request_UnsupportedQuery',
      "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
    ),
  pageSize: (given: string) =>
    new GraphError(400, 'Request_UnsupportedQuery', `Invalid page size specified: '${given}'. Must be between 1 and 999 inclusive.`),
  notImplemented: (message: string) => new GraphError(501, 'NotImplemented', message),
  mailboxNotEnabled: () =>
    new GraphError(404, 'MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.'),
  invalidToken: (message: string) => new GraphError(401, 'InvalidAuthenticationToken', message),
  throttled: (retryAfterSeconds: number) =>
    new GraphError(429, 'TooManyRequests', 'Please retry again later.', {
      innerError: { code: '429', message: 'Please retry after', status: '429' },
      headers: {
        'Retry-After': String(retryAfterSeconds),
        // Throttling diagnostics Graph adds to 429s (concepts/throttling-limits.md).
        'x-ms-throttle-scope': 'Tenant_Application/ReadWrite',
        'x-ms-throttle-information': 'ResourceUnitLimitExceeded',
      },
    }),
  serviceUnavailable: (retryAfterSeconds?: number) =>
    new GraphError(
      503,
      'serviceNotAvailable',
      'The service is temporarily unavailable for maintenance or is overloaded. You may repeat the request after a delay, the length of which may be specified in a Retry-After header.',
      retryAfterSeconds === undefined ? {} : { headers: { 'Retry-After': String(retryAfterSeconds) } },
    ),
  gatewayTimeout: () =>
    new GraphError(
      504,
      'UnknownError',
      "The server, while acting as a proxy, didn't receive a timely response from the upstream server it needed to access in attempting to complete the request.",
    ),
};
