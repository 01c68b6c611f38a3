import { ApiConnectionError, apiConnectionUrl, authorizeApiConnection, managedApiConnection } from '../../connectors/api-connection.js';
import { ActionFailure } from '../errors.js';
import { performOutbound, stringHeaders, withQueries } from '../outbound.js';
import { redactHeaders } from '../redact.js';
import { parseRetryPolicy } from '../retry.js';
import type { ActionExecutor } from './types.js';
import { outgoingWorkflowHeaders } from '../workflow-headers.js';

interface ApiConnectionInputs {
  host?: { connection?: { referenceName?: unknown } };
  method?: unknown;
  path?: unknown;
  queries?: unknown;
  headers?: unknown;
  body?: unknown;
  retryPolicy?: unknown;
}

/** ApiConnection: a managed connector call through connections.json, with the Http retry policy. */
export const apiConnection: ActionExecutor = async (ctx) => {
  const inputs = (ctx.evaluateInputs() ?? {}) as ApiConnectionInputs;
  const ref = String(inputs.host?.connection?.referenceName ?? '');
  let connection;
  try {
    connection = managedApiConnection(ctx.run.shared.project.connections, ref);
  } catch (err) {
    if (err instanceof ApiConnectionError) throw new ActionFailure(err.code, err.message);
    throw err;
  }
  const method = String(inputs.method ?? 'get').toUpperCase();
  const path = String(inputs.path ?? '/');
  const services = ctx.run.shared.services;
  const outcome = await performOutbound(
    ctx.run,
    {
      method,
      url: withQueries(apiConnectionUrl(connection, path), inputs.queries),
      // The action's own headers win over the runtime's, as in Azure.
      headers: { ...outgoingWorkflowHeaders(ctx), ...stringHeaders(inputs.headers) },
      body: inputs.body,
      authorize: (h) => authorizeApiConnection(connection, h, services.managedIdentityToken),
      retryPolicy: parseRetryPolicy(inputs.retryPolicy, ctx.action.name),
      asyncPattern: !ctx.action.operationOptions.has('disableasyncpattern'),
    },
    ctx.signal,
  );
  const recorded = inputs.headers === undefined ? inputs : { ...inputs, headers: redactHeaders(inputs.headers) };
  return { ...outcome, inputs: recorded };
};
