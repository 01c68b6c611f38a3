import type { AppErrorCode } from '../errors/app-error.js';

/**
 * How each Graph failure is reported to people and workflows: keyed by HTTP status, Graph error
 * code and (where Graph reuses one code for several cases) a fragment of Graph's message
 * (https://learn.microsoft.com/graph/errors and each API's Learn page). The first matching row wins, so specific rows come first.
 * 403, 429 and 5xx rows never say "not found": a refused or throttled read proves nothing.
 */
export interface GraphErrorRule {
  status?: number | ((status: number) => boolean);
  graphCode?: string;
  /** Case-insensitive fragment of Graph's message. */
  messageIncludes?: string;
  code: AppErrorCode;
  /** HTTP status the helper answers with. */
  httpStatus: number;
  retryable: boolean;
  message: string;
  fix: string;
}

const is5xx = (s: number): boolean => s >= 500 && s <= 599;

export const GRAPH_ERROR_RULES: readonly GraphErrorRule[] = [
  {
    status: 400,
    messageIncludes: 'added object references already exist',
    code: 'conflict',
    httpStatus: 409,
    retryable: false,
    message: 'The user is already a member of the group.',
    fix: 'Nothing to do: the membership already exists.',
  },
  {
    status: 400,
    messageIncludes: 'on-premises mastered',
    code: 'refused',
    httpStatus: 422,
    retryable: false,
    message: 'The object is synchronised from on-premises Active Directory, so Microsoft 365 cannot change it.',
    fix: 'Make the change in on-premises Active Directory and let Entra Connect synchronise it.',
  },
  {
    status: 400,
    messageIncludes: 'mail-enabled security groups and or distribution list',
    code: 'refused',
    httpStatus: 422,
    retryable: false,
    message: 'Microsoft Graph cannot change mail-enabled security groups or distribution lists.',
    fix: 'Change the membership in Exchange Online (Exchange admin center or Add-/Remove-DistributionGroupMember).',
  },
  {
    status: 400,
    messageIncludes: 'originated within an external service',
    code: 'refused',
    httpStatus: 422,
    retryable: false,
    message: 'The object is managed by another service (usually Exchange Online), so Microsoft Graph cannot change it.',
    fix: 'Make the change in the service that owns the object, usually the Exchange admin center.',
  },
  {
    status: 400,
    messageIncludes: 'invalid usage location',
    code: 'refused',
    httpStatus: 422,
    retryable: true,
    message: 'The user has no usage location, which Microsoft requires before a licence can be assigned.',
    fix: 'Set the user\'s usage location (e.g. "US") and retry; right after setting it Microsoft may need a minute.',
  },
  {
    status: 400,
    messageIncludes: 'does not have any available licenses',
    code: 'quota_exceeded',
    httpStatus: 409,
    retryable: false,
    message: 'There are no free seats left for this licence.',
    fix: 'Buy more seats or free one up, then retry.',
  },
  {
    status: 400,
    messageIncludes: 'inherited from a group membership',
    code: 'refused',
    httpStatus: 422,
    retryable: false,
    message: 'The licence comes from a group membership and cannot be removed from the user directly.',
    fix: 'Remove the user from the licensing group instead.',
  },
  {
    status: 400,
    messageIncludes: 'password complexity',
    code: 'validation_failed',
    httpStatus: 400,
    retryable: false,
    message: 'Microsoft rejected the password as too weak.',
    fix: 'Use a longer password mixing upper case, lower case, digits and symbols.',
  },
  {
    status: 400,
    messageIncludes: 'verified domain names',
    code: 'validation_failed',
    httpStatus: 400,
    retryable: false,
    message: 'The domain of the user name is not a verified domain of this tenant.',
    fix: 'Use one of the tenant\'s verified domains (Microsoft 365 admin center → Settings → Domains).',
  },
  {
    status: 400,
    messageIncludes: 'already exists',
    code: 'conflict',
    httpStatus: 409,
    retryable: false,
    message: 'An object with the same name or address already exists.',
    fix: 'Choose another user name / alias, or use the existing object.',
  },
  {
    status: 400,
    graphCode: 'Request_UnsupportedQuery',
    code: 'internal',
    httpStatus: 500,
    retryable: false,
    message: 'Microsoft Graph did not accept a query the helper built.',
    fix: 'This is a defect in the helper; report it with the client request id.',
  },
  {
    status: 400,
    code: 'refused',
    httpStatus: 422,
    retryable: false,
    message: 'Microsoft Graph refused the request.',
    fix: 'Read Microsoft\'s message in the details, correct the input and retry.',
  },
  {
    status: 401,
    code: 'configuration',
    httpStatus: 500,
    retryable: false,
    message: 'Microsoft Graph did not accept the helper\'s access token.',
    fix: 'Check the managed identity / app registration of the helpers and that the customer tenant consented to it.',
  },
  {
    status: 403,
    code: 'forbidden',
    httpStatus: 403,
    retryable: false,
    message: 'The helper is not allowed to do this in the customer\'s tenant.',
    fix: 'Grant the missing Graph permission or directory role to the helpers\' identity; admin targets need a higher role (e.g. Privileged Authentication Administrator).',
  },
  {
    status: 404,
    code: 'not_found',
    httpStatus: 404,
    retryable: false,
    message: 'The object does not exist in the customer\'s tenant.',
    fix: 'Check the spelling of the user, group or address in the ticket.',
  },
  {
    status: 409,
    code: 'conflict',
    httpStatus: 409,
    retryable: false,
    message: 'Microsoft Graph reported a conflicting change.',
    fix: 'Retry in a minute; if it persists, check the object in the admin center.',
  },
  {
    status: 412,
    code: 'conflict',
    httpStatus: 409,
    retryable: true,
    message: 'The object changed while the helper was updating it.',
    fix: 'Retry the request.',
  },
  {
    status: 429,
    code: 'throttled',
    httpStatus: 429,
    retryable: true,
    message: 'Microsoft Graph is throttling requests for this tenant.',
    // Read only after the helper's and the workflow action's own retries were used up: say what to do now.
    fix: 'Microsoft Graph was still throttling after the automatic retries were used up. Wait a few minutes, then send the request again.',
  },
  {
    status: is5xx,
    code: 'service_unavailable',
    httpStatus: 503,
    retryable: true,
    message: 'Microsoft Graph is temporarily unavailable.',
    fix: 'Wait a few minutes, then send the request again; if it keeps happening, check the Microsoft 365 service health page.',
  },
];

/** Used when no row matches (e.g. 405, 501). */
export const FALLBACK_RULE: GraphErrorRule = {
  code: 'refused',
  httpStatus: 502,
  retryable: false,
  message: 'Microsoft Graph answered with an unexpected error.',
  fix: 'Read Microsoft\'s message in the details; retry, and report it with the client request id if it persists.',
};

export function findGraphErrorRule(status: number, graphCode: string | undefined, graphMessage: string): GraphErrorRule {
  const text = graphMessage.toLowerCase();
  return (
    GRAPH_ERROR_RULES.find((rule) => {
      if (typeof rule.status === 'number' && rule.status !== status) return false;
      if (typeof rule.status === 'function' && !rule.status(status)) return false;
      if (rule.graphCode && rule.graphCode !== graphCode) return false;
      if (rule.messageIncludes && !text.includes(rule.messageIncludes.toLowerCase())) return false;
      return true;
    }) ?? FALLBACK_RULE
  );
}
