import type { RunRecord } from '../../model.js';
import { isBinaryContent } from '../../engine/content.js';
import { sendJson } from '../http-io.js';
import type { Route, RouteRequest } from '../router.js';
import { requireRun } from './lookups.js';
import { MANAGEMENT_PREFIX } from './paths.js';

/** Seconds a poller is asked to wait between polls of a running asynchronous Response. */
const RETRY_AFTER_SECONDS = 1;

function finish(r: RouteRequest, run: RunRecord): void {
  // A secured answer lives only in the engine's memory; the record holds just its status code.
  const response = run.response?.secure ? r.ctx.engine.securedResponse(run.workflow, run.name) : run.response;
  if (response) {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(response.headers ?? {})) headers[k.toLowerCase()] = String(v);
    const body = response.body;
    let payload: Buffer;
    if (isBinaryContent(body)) {
      // Passed-through content keeps its own type (https://learn.microsoft.com/azure/logic-apps/logic-apps-content-type).
      payload = Buffer.from(body.$content, 'base64');
      headers['content-type'] ??= body['$content-type'];
    } else {
      const text = body === undefined || body === null ? '' : typeof body === 'string' ? body : JSON.stringify(body);
      if (text && !headers['content-type']) headers['content-type'] = typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8';
      payload = Buffer.from(text, 'utf8');
    }
    headers['content-length'] = String(payload.length);
    headers['x-ms-workflow-run-id'] = run.name;
    r.res.writeHead(response.statusCode, headers);
    r.res.end(payload);
    return;
  }
  if (run.status === 'Running' || run.status === 'Waiting') {
    r.res.writeHead(202, {
      location: new URL(r.url.pathname + r.url.search, r.ctx.baseUrl()).toString(),
      'retry-after': String(RETRY_AFTER_SECONDS),
      'x-ms-workflow-run-id': run.name,
      'content-length': '0',
    });
    r.res.end();
    return;
  }
  // Ended without reaching its Response action: what the host returns a waiting caller.
  const error = run.error ?? { code: 'NoResponse', message: `The workflow run '${run.name}' ended in state '${run.status}' without a response.` };
  sendJson(r.res, 502, { error }, { 'x-ms-workflow-run-id': run.name });
}

function pollOperation(r: RouteRequest): void {
  const [wf = '', runName = ''] = r.params;
  const run = requireRun(r, wf, runName);
  if (run) finish(r, run);
}

/**
 * Polling of `operationOptions: "Asynchronous"` Responses: the trigger caller got 202 + Location
 * pointing here, and polls until the run saved a response or ended.
 */
export const operationRoutes: Route[] = [
  {
    method: 'GET',
    pattern: new RegExp(`^${MANAGEMENT_PREFIX.replace(/\//g, '\\/')}/workflows/([^/]+)/runs/([^/]+)/operations/([^/]+)$`),
    handle: pollOperation,
  },
];
