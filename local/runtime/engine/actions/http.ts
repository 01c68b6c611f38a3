import { ActionFailure } from '../errors.js';
import { performOutbound, requireString, stringHeaders, withQueries } from '../outbound.js';
import { redactHeaders, SANITIZED } from '../redact.js';
import { parseRetryPolicy } from '../retry.js';
import type { ActionExecutor } from './types.js';
import { outgoingWorkflowHeaders } from '../workflow-headers.js';

/** Default audience of ManagedServiceIdentity authentication when none is given. */
const DEFAULT_AUDIENCE = 'https://management.azure.com/';

interface HttpInputs {
  method?: unknown;
  uri?: unknown;
  headers?: unknown;
  queries?: unknown;
  body?: unknown;
  authentication?: { type?: unknown; audience?: unknown; identity?: unknown; value?: unknown; username?: unknown; password?: unknown };
  retryPolicy?: unknown;
}

/**
 * Http: calls the URI with the action's retry policy and authentication. Managed identity tokens
 * are fetched per attempt and never recorded; Basic/Raw secrets are hidden from the recorded inputs.
 */
export const http: ActionExecutor = async (ctx) => {
  const inputs = (ctx.evaluateInputs() ?? {}) as HttpInputs;
  const name = ctx.action.name;
  const method = requireString(inputs.method, 'method', name).toUpperCase();
  const uri = requireString(inputs.uri, 'uri', name);
  if (!/^https?:\/\//i.test(uri)) throw new ActionFailure('InvalidTemplate', `The 'uri' of action '${name}' must be an absolute http or https URL.`);
  const auth = inputs.authentication;
  const recordedInputs: Record<string, unknown> = { method, uri };
  if (inputs.headers !== undefined) recordedInputs.headers = redactHeaders(inputs.headers);
  if (inputs.queries !== undefined) recordedInputs.queries = inputs.queries;
  if (inputs.body !== undefined) recordedInputs.body = inputs.body;
  let authorize: ((h: Record<string, string>) => Promise<void>) | undefined;
  if (auth && typeof auth === 'object') {
    const type = String(auth.type ?? '');
    if (type.toLowerCase() === 'managedserviceidentity') {
      const audience = typeof auth.audience === 'string' && auth.audience !== '' ? auth.audience : DEFAULT_AUDIENCE;
      recordedInputs.authentication = { type, audience };
      authorize = async (h) => {
        // `identity` names a user-assigned identity by resource id; locally the app has one (system-assigned) identity.
        h.Authorization = `Bearer ${await ctx.run.shared.services.managedIdentityToken(audience)}`;
      };
    } else if (type.toLowerCase() === 'raw') {
      recordedInputs.authentication = { type, value: SANITIZED };
      authorize = async (h) => {
        h.Authorization = String(auth.value ?? '');
      };
    } else if (type.toLowerCase() === 'basic') {
      recordedInputs.authentication = { type, username: auth.username, password: SANITIZED };
      authorize = async (h) => {
        h.Authorization = `Basic ${Buffer.from(`${String(auth.username ?? '')}:${String(auth.password ?? '')}`).toString('base64')}`;
      };
    } else if (type !== '' && type.toLowerCase() !== 'none') {
      throw new ActionFailure('InvalidTemplate', `The authentication type '${type}' of action '${name}' is not supported by the local runtime.`);
    }
  }
  ctx.noteInputs(recordedInputs);
  const outcome = await performOutbound(
    ctx.run,
    {
      method,
      url: withQueries(uri, inputs.queries),
      // The action's own headers win over the runtime's, as in Azure.
      headers: { ...outgoingWorkflowHeaders(ctx), ...stringHeaders(inputs.headers) },
      body: inputs.body,
      authorize,
      retryPolicy: parseRetryPolicy(inputs.retryPolicy, name),
      asyncPattern: !ctx.action.operationOptions.has('disableasyncpattern'),
    },
    ctx.signal,
  );
  return { ...outcome, inputs: recordedInputs };
};
