import type { ActionEntry } from './action-tree.js';
import { isRecord, stringAt } from './json.js';

/**
 * Classifies Http actions by what they call. A URI counts as a helper or Graph call when it mentions
 * the base-URL parameter anywhere, so a call that hides the base inside concat() is still checked
 * (and then told to use the standard form).
 */
export const GRAPH_AUDIENCE = 'https://graph.microsoft.com';
/**
 * Child workflows take Graph's base URL and audience from the request the router sends (`graph`): Graph itself in
 * customer mode, the helpers' relay for the customer in msp mode (docs/msp-mode.md).
 */
export const REQUEST_GRAPH_BASE = "@{triggerBody()?['graph']?['baseUrl']}";
export const REQUEST_GRAPH_AUDIENCE = "@{triggerBody()?['graph']?['audience']}";
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface HttpCall {
  entry: ActionEntry;
  method: string;
  uri: string;
  authType: string | undefined;
  audience: string | undefined;
}

export function httpCall(entry: ActionEntry): HttpCall | undefined {
  if (entry.type.toLowerCase() !== 'http') return undefined;
  const inputs = isRecord(entry.def.inputs) ? entry.def.inputs : {};
  return {
    entry,
    method: (stringAt(inputs, 'method') ?? '').toUpperCase(),
    uri: stringAt(inputs, 'uri') ?? '',
    authType: stringAt(inputs, 'authentication', 'type'),
    audience: stringAt(inputs, 'authentication', 'audience'),
  };
}

export function mentionsParameter(text: string, parameter: string): boolean {
  return new RegExp(`parameters\\(\\s*'${parameter}'\\s*\\)`, 'i').test(text);
}

export function isHelperCall(call: HttpCall): boolean {
  return mentionsParameter(call.uri, 'helpersBaseUrl');
}

/** Graph by its base URL, or by the Graph audience when the URI is computed (e.g. a retried request's uri). */
export function isGraphCall(call: HttpCall): boolean {
  return (
    mentionsParameter(call.uri, 'graphBaseUrl') ||
    call.uri.startsWith(REQUEST_GRAPH_BASE) ||
    call.audience?.replace(/\/+$/, '') === GRAPH_AUDIENCE ||
    call.audience === REQUEST_GRAPH_AUDIENCE
  );
}

export function isGraphWrite(call: HttpCall): boolean {
  return isGraphCall(call) && WRITE_METHODS.has(call.method);
}

export function hasRetryPolicy(entry: ActionEntry): boolean {
  const type = stringAt(entry.def, 'inputs', 'retryPolicy', 'type');
  return type !== undefined && type.toLowerCase() !== 'none';
}
