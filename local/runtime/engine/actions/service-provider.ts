import { ActionFailure } from '../errors.js';
import { statusCodeName } from '../retry.js';
import type { ActionExecutor } from './types.js';

interface ServiceProviderInputs {
  parameters?: Record<string, unknown>;
  serviceProviderConfiguration?: { connectionName?: unknown; operationId?: unknown; serviceProviderId?: unknown };
}

/**
 * ServiceProvider (built-in connector): hands the evaluated parameters and the resolved
 * serviceProviderConnections entry to the registered handler. Outputs {statusCode, body}.
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
  let result;
  try {
    result = await handler.invoke({ operationId, parameters: inputs.parameters ?? {}, connection, services: ctx.run.shared.services, signal: ctx.signal });
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    const code = (err as { code?: unknown }).code;
    throw new ActionFailure(typeof code === 'string' ? code : 'ServiceProviderActionFailed', (err as Error).message ?? String(err));
  }
  const outputs: Record<string, unknown> = { statusCode: result.statusCode, body: result.body };
  if (result.headers) outputs.headers = result.headers;
  const code = statusCodeName(result.statusCode);
  if (result.statusCode >= 400) {
    throw new ActionFailure(code, `The service provider operation '${operationId}' failed with status code '${result.statusCode}'.`, { outputs, inputs });
  }
  return { code, inputs, outputs };
};
