import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { LoadedWorkflow, StartedRun, TriggerRequest, WorkflowHttpResponse } from '../model.js';
import { BodyTooLargeError, headerMap, readBody, sendError } from './http-io.js';
import { MAX_TRIGGER_BODY_DEPTH, tooDeepAt } from './nesting-limit.js';
import { contentBody, isBinaryContent } from '../engine/content.js';
import { findWorkflow } from './context.js';
import type { Route, RouteRequest } from './router.js';
import { signatureMatches, triggerPermissionPath } from './sas.js';
import { isSupportedTriggerApiVersion, unsupportedApiVersionMessage } from './api-versions.js';
import { workflowId } from '../engine/workflow-headers.js';

/** Query parameters that carry the SAS signature: never passed on to the run (the signature is a secret). */
const SAS_QUERIES = new Set(['sp', 'sv', 'sig']);
/** Request headers kept out of trigger outputs, so credentials do not land in run history. */
const SECRET_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);


function runHeaders(wf: LoadedWorkflow, run: StartedRun, requestId: string): Record<string, string> {
  const id = workflowId(wf.name);
  return {
    'x-ms-workflow-run-id': run.runName,
    'x-ms-correlation-id': run.correlationId,
    'x-ms-client-tracking-id': run.clientTrackingId,
    'x-ms-trigger-history-name': run.runName,
    'x-ms-workflow-system-id': `/scaleunits/prod-00/workflows/${id}`,
    'x-ms-workflow-id': id,
    'x-ms-workflow-version': wf.version,
    'x-ms-workflow-name': wf.name,
    'x-ms-tracking-id': run.correlationId,
    'x-ms-request-id': requestId,
  };
}

function operationOptions(trigger: Record<string, unknown>): string[] {
  const raw = trigger.operationOptions;
  return typeof raw === 'string' ? raw.split(',').map((s) => s.trim().toLowerCase()) : [];
}

/** Checks `sp`/`sv`/`sig` as the host does; sends the 401 and returns false when they do not hold. */
function authorized(r: RouteRequest, wf: LoadedWorkflow): boolean {
  const q = r.url.searchParams;
  const sig = q.get('sig');
  if (!sig) {
    sendError(r.res, 401, 'DirectApiAuthorizationRequired', 'The request must be authenticated only by Shared Access scheme.');
    return false;
  }
  const keys = r.ctx.keys.get(wf.name);
  const sp = q.get('sp') ?? '';
  const valid = keys !== undefined && sp.toLowerCase() === triggerPermissionPath(wf.triggerName).toLowerCase() && q.get('sv') === '1.0' && signatureMatches([keys.primary, keys.secondary], sp, sig);
  if (!valid) sendError(r.res, 401, 'DirectApiInvalidAuthorizationSignature', 'The provided authorization signature is not valid.');
  return valid;
}

/**
 * The trigger body as the host holds it (https://learn.microsoft.com/azure/logic-apps/logic-apps-content-type):
 * JSON content types parsed (a leading UTF-8 byte-order mark is skipped, as the host does), text/plain as a string,
 * anything else as `{"$content-type", "$content"}`; JSON that does not parse is refused with 400.
 */
function parseBody(raw: Buffer, contentType: string | undefined): { ok: true; body: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, body: contentBody(raw, contentType, { invalidJson: 'error' }) };
  } catch (err) {
    return { ok: false, message: `The request content was invalid and could not be deserialized: '${err instanceof Error ? err.message : String(err)}'.` };
  }
}

function writeWorkflowResponse(res: ServerResponse, response: WorkflowHttpResponse, extra: Record<string, string>): void {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(response.headers ?? {})) headers[k.toLowerCase()] = String(v);
  let payload: Buffer | undefined;
  const body = response.body;
  if (body === undefined || body === null) payload = undefined;
  else if (Buffer.isBuffer(body)) payload = body;
  else if (isBinaryContent(body)) {
    // Passed-through content keeps its own type (Learn: "The Logic Apps Engine always preserves the Content-Type").
    payload = Buffer.from(body.$content, 'base64');
    headers['content-type'] ??= body['$content-type'];
  }
  else if (typeof body === 'string') {
    payload = Buffer.from(body, 'utf8');
    headers['content-type'] ??= 'text/plain; charset=utf-8';
  } else {
    payload = Buffer.from(JSON.stringify(body), 'utf8');
    headers['content-type'] ??= 'application/json; charset=utf-8';
  }
  headers['content-length'] = String(payload?.length ?? 0);
  res.writeHead(response.statusCode, { ...headers, ...extra });
  res.end(payload);
}

/** Duck-typed TriggerRequestError (engine/errors.ts): an HTTP status and Azure code the caller gets. */
function asTriggerError(err: unknown): { status: number; code: string; message: string } | undefined {
  if (!(err instanceof Error)) return undefined;
  const { status, code } = err as { status?: unknown; code?: unknown };
  return typeof status === 'number' && typeof code === 'string' ? { status, code, message: err.message } : undefined;
}

async function invoke(r: RouteRequest): Promise<void> {
  const [wfName = '', trigger = '', relativePath = ''] = r.params;
  const requestId = randomUUID();
  if (!r.ctx.accepting) return sendError(r.res, 503, 'ServiceUnavailable', 'The runtime is shutting down and does not accept new runs.', { 'retry-after': '10' });
  const wf = findWorkflow(r.ctx, wfName);
  if (!wf) return sendError(r.res, 404, 'WorkflowNotFound', 'The workflow could not be found.');
  const apiVersion = r.url.searchParams.get('api-version');
  if (!apiVersion) {
    return sendError(r.res, 400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.');
  }
  if (!isSupportedTriggerApiVersion(apiVersion)) return sendError(r.res, 400, 'InvalidApiVersionParameter', unsupportedApiVersionMessage(apiVersion));
  if (!authorized(r, wf)) return;
  if (wf.triggerName.toLowerCase() !== trigger.toLowerCase()) {
    return sendError(r.res, 404, 'WorkflowTriggerNotFound', `The workflow '${wfName}' has no trigger '${trigger}'.`);
  }
  const method = (r.req.method ?? 'GET').toUpperCase();
  const declared = ((wf.trigger as { inputs?: { method?: unknown } }).inputs ?? {}).method;
  if (typeof declared === 'string' && declared.toUpperCase() !== method) {
    return sendError(r.res, 405, 'TriggerRequestMethodNotValid', `The HTTP method for this request is not valid: expected '${declared}' and actual '${method}'.`, { allow: declared.toUpperCase() });
  }
  let raw: Buffer;
  try {
    raw = await readBody(r.req, r.ctx.maxBodyBytes);
  } catch (err) {
    if (err instanceof BodyTooLargeError) return sendError(r.res, 413, 'RequestEntityTooLarge', err.message, { connection: 'close' });
    throw err;
  }
  const headers = headerMap(r.req);
  const parsed = parseBody(raw, headers['content-type']);
  if (!parsed.ok) return sendError(r.res, 400, 'InvalidRequestContent', parsed.message);
  const deepAt = tooDeepAt(parsed.body);
  if (deepAt) {
    return sendError(
      r.res,
      400,
      'InvalidRequestContent',
      `The request content is nested more than ${MAX_TRIGGER_BODY_DEPTH} levels deep (in '${deepAt}'); the local runtime does not accept such bodies.`,
    );
  }
  for (const name of SECRET_HEADERS) delete headers[name];
  const queries: Record<string, string> = {};
  for (const [k, v] of r.url.searchParams) if (!SAS_QUERIES.has(k)) queries[k] = v;
  const request: TriggerRequest = { method, relativePath, headers, queries, body: parsed.body };

  let run: StartedRun;
  try {
    run = r.ctx.engine.start(wf.name, wf.triggerName, request, {
      clientTrackingId: headers['x-ms-client-tracking-id'],
      correlationId: headers['x-ms-correlation-id'],
    });
  } catch (err) {
    const te = asTriggerError(err);
    if (te) return sendError(r.res, te.status, te.code, te.message, { 'x-ms-request-id': requestId });
    throw err;
  }
  const response = await run.response;
  const suppress = operationOptions(wf.trigger).includes('suppressworkflowheadersonresponse');
  writeWorkflowResponse(r.res, response, suppress ? {} : runHeaders(wf, run, requestId));
}

/** `/api/{workflow}/triggers/{trigger}/invoke[/{relativePath}]`, any method: the trigger decides which it takes. */
export const triggerRoutes: Route[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'].map((method) => ({
  method,
  pattern: /^\/api\/([^/]+)\/triggers\/([^/]+)\/invoke(?:\/(.*))?$/,
  handle: invoke,
}));
