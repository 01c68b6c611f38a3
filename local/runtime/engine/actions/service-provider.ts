import type { OutboundResponse, ServiceProviderResult } from '../../model.js';
import { ActionFailure } from '../errors.js';
import { parseRetryPolicy, sendWithRetry, statusCodeName } from '../retry.js';
import type { ActionExecutor } from './types.js';

interface ServiceProviderInputs {
  parameters?: Record<string, unknown>;
  retryPolicy?: unknown;
  serviceProviderConfiguration?: { connectionName?: unknown; operationId?: unknown; serviceProviderId?: unknown };
}

/**
 * ServiceProvider (built-in connector): hands the evaluated parameters and the resolved
 * serviceProviderConnections entry to the registered handler. Outputs {statusCode, body}.
 * Like Azure, the action's retry policy (default: exponential, 4 retries) repeats transient answers
 * (408, 429, 5xx) and connection failures; a handler's definite error is never repeated.
 */
export const serviceProvider: ActionExecutor = async (ctx) => {
  const inputs = (ctx.evaluateInputs() ?? {}) as ServiceProviderInputs;
  const cfg = inputs.serviceProviderConfiguration ?? {};
  const providerId = String(cfg.serviceProviderId ?? '');
  const operationId = String(cfg.operationId ?? '');
  const connectionName = String(cfg.connectionName ?? '');
  const handler = ctx.run.shared.providers.get(providerId.toLowerCase());
  if (!handler || !handler.operations.includes(operationId)) {
    throw new ActionFailure('ServiceProviderOperationNotFound', `The operation '${operationId}' of service provider '${providerId}' is not available in the local runtime.`);
  }
  const all = (ctx.run.shared.project.connections.serviceProviderConnections ?? {}) as Record<string, { parameterValues?: Record<string, unknown>; parameterSetName?: string }>;
  const entry = all[connectionName];
  if (!entry) throw new ActionFailure('ConnectionNotFound', `The connection '${connectionName}' is not defined in connections.json 'serviceProviderConnections'.`);
  const connection: { name: string; parameterValues: Record<string, unknown>; parameterSetName?: string } = {
    name: connectionName,
    parameterValues: entry.parameterValues ?? {},
  };
  if (entry.parameterSetName !== undefined) connection.parameterSetName = entry.parameterSetName;
  let definite: unknown;
  const send = async (): Promise<OutboundResponse> => {
    try {
      const r: ServiceProviderResult = await handler.invoke({ operationId, parameters: inputs.parameters ?? {}, connection, services: ctx.run.shared.services, signal: ctx.signal });
      return { statusCode: r.statusCode, headers: r.headers ?? {}, body: r.body };
    } catch (err) {
      if (ctx.signal.aborted || isConnectionFailure(err)) throw err;
      // Not transient: answer a non-retriable pseudo-status so the retry loop stops, and rethrow below.
      definite = err;
      return { statusCode: 0, headers: {}, body: undefined };
    }
  };
  const policy = parseRetryPolicy(inputs.retryPolicy, ctx.action.name);
  const called = await sendWithRetry(send, policy, ctx.run.shared.services.clock, ctx.signal);
  const retryHistory = called.retryHistory;
  if (definite !== undefined || !called.response) {
    const err = (definite ?? called.error) as { code?: unknown; message?: unknown } | undefined;
    const code = typeof err?.code === 'string' ? err.code : 'ServiceProviderActionFailed';
    const message = typeof err?.message === 'string' ? err.message : String(err);
    return { status: 'Failed', code, inputs, error: { code, message }, retryHistory };
  }
  const result = called.response;
  const outputs: Record<string, unknown> = { statusCode: result.statusCode, body: result.body };
  if (Object.keys(result.headers).length > 0) outputs.headers = result.headers;
  const code = statusCodeName(result.statusCode);
  if (result.statusCode >= 400) {
    return {
      status: 'Failed',
      code,
      inputs,
      outputs,
      retryHistory,
      error: { code, message: `The service provider operation '${operationId}' failed with status code '${result.statusCode}'.` },
    };
  }
  return { code, inputs, outputs, retryHistory };
};

const CONNECTION_FAILURES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

/** A failure to reach the service at all (as opposed to the service answering an error). */
function isConnectionFailure(err: unknown): boolean {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = typeof e?.code === 'string' ? e.code : typeof e?.cause?.code === 'string' ? e.cause.code : '';
  return CONNECTION_FAILURES.has(code) || (err instanceof TypeError && /fetch failed/i.test(err.message));
}
