import { AppError, type AppErrorCode } from '../errors/app-error.js';

/**
 * Why a token for a customer's tenant could not be had, with what a technician does about it. Microsoft Entra
 * answers the token request with `error`, `error_description` ("AADSTS<n>: …") and `error_codes` [n]
 * (https://learn.microsoft.com/entra/identity-platform/reference-error-codes); the number picks the reason.
 */
export type CustomerTokenFailure =
  | 'consent_missing'
  | 'tenant_not_found'
  | 'federation_mismatch'
  | 'assertion_rejected'
  | 'assertion_unavailable'
  | 'app_disabled'
  | 'resource_missing'
  | 'sign_in_unavailable'
  | 'refused';

interface FailureText {
  code: AppErrorCode;
  status: number;
  retryable?: boolean;
  message: (tenant: string) => string;
  fix: string;
}

const REDEPLOY_FIX =
  'Re-run `npm run deploy -- --mode msp` for this deployment: it recreates the app\'s federated credential (issuer = the MSP tenant, subject = the user-assigned identity\'s principal id, audience api://AzureADTokenExchange) and the app settings MSP_APP_CLIENT_ID and MSP_IDENTITY_CLIENT_ID.';

const TEXT: Record<CustomerTokenFailure, FailureText> = {
  consent_missing: {
    code: 'forbidden',
    status: 403,
    message: (t) => `The customer's tenant ${t} has not consented to the MSP app, so nothing can be done there.`,
    fix: "The customer's Global Administrator must grant admin consent: run `npm run customer:add` again for this customer; it prints the consent URL and checks the result.",
  },
  tenant_not_found: {
    code: 'not_found',
    status: 404,
    message: (t) => `Microsoft Entra ID does not know the tenant ${t}.`,
    fix: 'Check the tenant id of this customer with `npm run customer:list`; if it is wrong, remove the customer and add it again with the right tenant.',
  },
  federation_mismatch: {
    code: 'configuration',
    status: 500,
    message: () => "Microsoft Entra ID refused the helpers' managed-identity assertion: the MSP app's federated credential does not match it.",
    fix: REDEPLOY_FIX,
  },
  assertion_rejected: {
    code: 'configuration',
    status: 500,
    retryable: true,
    message: () => "Microsoft Entra ID refused the helpers' managed-identity assertion as expired or not yet valid.",
    fix: 'Retry in a minute (the helpers ask their identity for a fresh assertion each time). If it persists: ' + REDEPLOY_FIX,
  },
  assertion_unavailable: {
    code: 'configuration',
    status: 500,
    retryable: true,
    message: () => 'The helpers could not get a token of their user-assigned identity (MSP_IDENTITY_CLIENT_ID) to prove who they are.',
    fix: 'Check that the user-assigned identity id-<baseName>-msp is attached to the Function App and that MSP_IDENTITY_CLIENT_ID holds its client id; ' + REDEPLOY_FIX,
  },
  app_disabled: {
    code: 'forbidden',
    status: 403,
    message: (t) => `The MSP app is disabled in the customer's tenant ${t}.`,
    fix: "Ask the customer's admin to enable it again (Entra admin center → Enterprise applications → the app → Properties → Enabled for users to sign in: Yes).",
  },
  resource_missing: {
    code: 'refused',
    status: 422,
    message: (t) => `The customer's tenant ${t} has no service for this request (for example no Exchange Online subscription).`,
    fix: "Check the customer's subscriptions in the Microsoft 365 admin center; the intent cannot run in this tenant until the service exists.",
  },
  sign_in_unavailable: {
    code: 'service_unavailable',
    status: 503,
    retryable: true,
    message: () => 'Microsoft Entra sign-in is not answering right now.',
    fix: 'Retry in a few minutes; check the Microsoft 365 service health page if it persists.',
  },
  refused: {
    code: 'configuration',
    status: 500,
    message: (t) => `Microsoft Entra ID refused a token for the customer's tenant ${t}.`,
    fix: "Read Microsoft's AADSTS code in the details (https://login.microsoftonline.com/error?code=<number>) and correct the app or the customer's consent; then run `npm run customer:add` again for this customer to check.",
  },
};

/** AADSTS numbers → reason. Numbers not listed fall to `refused`, which still names the number. */
const REASONS: Record<string, CustomerTokenFailure> = {
  // Application not found in the directory (not installed by the tenant's admin) / client missing its service principal.
  '700016': 'consent_missing',
  '7000229': 'consent_missing',
  // Tenant not found / tenant identifier neither a GUID nor a verified domain.
  '90002': 'tenant_not_found',
  '900023': 'tenant_not_found',
  // No matching federated identity record for the assertion's issuer, audience or subject.
  '700211': 'federation_mismatch',
  '700212': 'federation_mismatch',
  '700213': 'federation_mismatch',
  '7002131': 'federation_mismatch',
  // Client assertion outside its valid time range / assertion failed signature validation.
  '700024': 'assertion_rejected',
  '700027': 'assertion_rejected',
  // Application disabled in the tenant.
  '7000112': 'app_disabled',
  // Resource principal not found in the tenant.
  '500011': 'resource_missing',
};

export function reasonForAadsts(aadsts: string | undefined): CustomerTokenFailure {
  return (aadsts && REASONS[aadsts]) || 'refused';
}

export class CustomerTokenError extends AppError {
  readonly reason: CustomerTokenFailure;
  readonly tenantId: string;
  /** The AADSTS number Microsoft Entra answered with, e.g. "7000229"; undefined when it never answered. */
  readonly aadsts: string | undefined;

  constructor(input: { reason: CustomerTokenFailure; tenantId: string; aadsts?: string; upstreamStatus?: number; traceId?: string; cause?: unknown }) {
    const text = TEXT[input.reason];
    super({
      code: text.code,
      status: text.status,
      message: `${text.message(input.tenantId)}${input.aadsts ? ` (AADSTS${input.aadsts})` : ''}`,
      fix: text.fix,
      step: 'customer_token',
      retryable: text.retryable ?? false,
      ...(input.upstreamStatus ? { upstreamStatus: input.upstreamStatus } : {}),
      details: {
        reason: input.reason,
        tenantId: input.tenantId,
        ...(input.aadsts ? { aadsts: `AADSTS${input.aadsts}` } : {}),
        ...(input.traceId ? { traceId: input.traceId } : {}),
      },
      ...(input.cause !== undefined ? { cause: input.cause } : {}),
    });
    this.name = 'CustomerTokenError';
    this.reason = input.reason;
    this.tenantId = input.tenantId;
    this.aadsts = input.aadsts;
  }
}
