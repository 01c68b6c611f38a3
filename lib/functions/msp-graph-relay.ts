import { app, type HttpFunctionOptions } from '@azure/functions';
import { loadSettings } from '../config/settings.js';
import { AppError } from '../errors/app-error.js';
import { customerRegistryFromSettings } from '../msp/customer-registry.js';
import { customerTokenSource } from '../msp/customer-token.js';
import { relayGraphCall } from '../msp/graph-relay.js';
import { requireMspMode } from '../msp/mode.js';
import { helper } from './helper.js';

/**
 * ANY /api/msp/graph/{customerId}/{*path}: the Graph relay of msp mode (lib/msp/graph-relay.ts, docs/msp-mode.md).
 * The workflows' Graph Http actions use `<helpers>/api/msp/graph/<customer id>` as their Graph base URL and the
 * helpers' audience; the answer is Graph's own (status, Retry-After, request-id, client-request-id, content-type,
 * body), or a helper error (403) when the customer or the call is refused.
 */
const PREFIX = '/api/msp/graph/';

function splitRelayPath(rawUrl: string): { customerId: string; graphPath: string; search: string } {
  const url = new URL(rawUrl);
  const at = url.pathname.toLowerCase().indexOf(PREFIX);
  const rest = at >= 0 ? url.pathname.slice(at + PREFIX.length) : '';
  const slash = rest.indexOf('/');
  if (slash <= 0) {
    throw new AppError({
      code: 'validation_failed',
      message: 'The relay URL must be /api/msp/graph/<customer id>/<Graph path>.',
      status: 400,
      fix: "Set the workflow's Graph base URL to <helpers>/api/msp/graph/<customer id> and append the Graph path (v1.0/...).",
      step: 'graph_relay',
    });
  }
  let customerId: string;
  try {
    customerId = decodeURIComponent(rest.slice(0, slash));
  } catch {
    customerId = rest.slice(0, slash); // malformed %-escape: looked up as is, so it is refused as an unknown customer
  }
  return { customerId, graphPath: rest.slice(slash + 1), search: url.search };
}

export const mspGraphRelay: HttpFunctionOptions = {
  methods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'],
  route: 'msp/graph/{customerId}/{*path}',
  authLevel: 'anonymous',
  handler: helper({ step: 'graph_relay' }, async (request) => {
    const settings = loadSettings();
    requireMspMode(settings, 'graph_relay');
    const { customerId, graphPath, search } = splitRelayPath(request.url);
    const bytes = request.method === 'GET' || request.method === 'DELETE' ? undefined : Buffer.from(await request.arrayBuffer());
    const answer = await relayGraphCall(
      { customerId, method: request.method, graphPath, search, header: (name) => request.headers.get(name), body: bytes },
      { registry: customerRegistryFromSettings(settings), tokens: customerTokenSource(settings), graphBaseUrl: settings.GRAPH_BASE_URL },
    );
    return { status: answer.status, headers: answer.headers, ...(answer.body ? { body: answer.body } : {}) };
  }),
};

app.http('mspGraphRelay', mspGraphRelay);
