import { GraphError } from '@microsoft/microsoft-graph-client';
import { AppError } from '../errors/app-error.js';
import { describeDeniedGraphCall } from '../permissions/graph-calls.js';
import { findGraphErrorRule } from './error-table.js';

/**
 * Turns Graph failures (SDK GraphError, or one failed item of a $batch) into AppError, keeping
 * Graph's own code, status, message and the client-request-id so a technician can quote them to
 * Microsoft support.
 */
export interface GraphFailure {
  status: number;
  graphCode?: string;
  graphMessage?: string;
  clientRequestId?: string;
  requestId?: string;
  attempts?: number;
}

/** The call that failed, so a 403 can name the permission it needs (lib/permissions/graph-calls.ts). */
export interface GraphRequestInfo {
  method: string;
  /** Path with its version when not the client's default, e.g. "/beta/users/x/authentication/signInPreferences". */
  path: string;
}

export interface GraphErrorContext {
  step?: string;
  clientRequestId?: string;
  attempts?: number;
  request?: GraphRequestInfo;
}

const CREDENTIAL_ERRORS = new Set(['CredentialUnavailableError', 'AuthenticationError', 'AggregateAuthenticationError', 'AuthenticationRequiredError']);

export function graphFailureToAppError(failure: GraphFailure, step?: string, request?: GraphRequestInfo): AppError {
  const rule = findGraphErrorRule(failure.status, failure.graphCode, failure.graphMessage ?? '');
  const details: Record<string, unknown> = {};
  // Graph's 403 never says which permission is missing; the helpers only read, so the table names it.
  const denied = failure.status === 403 && request ? describeDeniedGraphCall(request.method, request.path, 'helpers') : undefined;
  if (denied) {
    details.missingPermissions = denied.permissions;
    if (denied.roles.length) details.missingRoles = denied.roles;
    details.graphCall = `${request?.method} ${denied.rules.join(', ')}`;
  }
  if (failure.graphMessage) details.graphMessage = failure.graphMessage;
  if (failure.clientRequestId) details.clientRequestId = failure.clientRequestId;
  if (failure.requestId) details.requestId = failure.requestId;
  if (failure.attempts !== undefined) details.attempts = failure.attempts;
  return new AppError({
    code: rule.code,
    message: denied?.message ?? rule.message,
    status: rule.httpStatus,
    fix: denied?.fix ?? rule.fix,
    step,
    graphCode: failure.graphCode,
    upstreamStatus: failure.status,
    retryable: rule.retryable,
    details,
  });
}

/** Reads `{error:{code,message,innerError}}` whatever form (object or JSON text) it arrives in. */
export function readGraphErrorBody(body: unknown): { code?: string; message?: string; requestId?: string } {
  let value = body;
  if (typeof value === 'string') {
    const text = value;
    try {
      value = JSON.parse(text);
    } catch {
      return { message: text };
    }
  }
  if (!value || typeof value !== 'object') return {};
  const record = value as Record<string, unknown>;
  const inner = (record.error && typeof record.error === 'object' ? record.error : record) as Record<string, unknown>;
  const innerError = (inner.innerError ?? inner.innererror) as Record<string, unknown> | undefined;
  return {
    code: typeof inner.code === 'string' ? inner.code : undefined,
    message: typeof inner.message === 'string' ? inner.message : undefined,
    requestId: typeof innerError?.['request-id'] === 'string' ? (innerError['request-id'] as string) : undefined,
  };
}

/** Converts anything a Graph call threw. AppErrors pass through (with the step added). */
export function toGraphAppError(err: unknown, ctx: GraphErrorContext = {}): AppError {
  if (err instanceof AppError) return ctx.step ? err.atStep(ctx.step) : err;
  const base = { clientRequestId: ctx.clientRequestId, attempts: ctx.attempts };
  if (err instanceof GraphError && err.statusCode > 0) {
    const parsed = readGraphErrorBody(err.body);
    return graphFailureToAppError(
      {
        ...base,
        status: err.statusCode,
        graphCode: err.code ?? parsed.code,
        graphMessage: err.message || parsed.message,
        requestId: err.requestId ?? parsed.requestId ?? err.headers?.get('request-id') ?? undefined,
      },
      ctx.step,
      ctx.request,
    );
  }
  // No HTTP answer: the token could not be obtained, or the connection failed.
  const name = err instanceof GraphError ? (err.code ?? '') : err instanceof Error ? err.name : '';
  if (CREDENTIAL_ERRORS.has(name)) {
    return new AppError({
      code: 'configuration',
      message: 'The helper could not get an access token for Microsoft Graph.',
      status: 500,
      fix: 'Check the helpers\' managed identity (in msp mode: the MSP app\'s federated credential, docs/msp-mode.md) and that the customer tenant consented.',
      step: ctx.step,
      retryable: true,
      details: { ...(ctx.clientRequestId ? { clientRequestId: ctx.clientRequestId } : {}) },
      cause: err,
    });
  }
  return new AppError({
    code: 'service_unavailable',
    message: 'Microsoft Graph could not be reached.',
    status: 503,
    fix: 'Retry later; check the network path to Microsoft Graph and the Microsoft 365 service health page.',
    step: ctx.step,
    retryable: true,
    details: { ...(ctx.clientRequestId ? { clientRequestId: ctx.clientRequestId } : {}) },
    cause: err,
  });
}
