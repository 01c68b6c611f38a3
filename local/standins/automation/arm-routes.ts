import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { verifyLocalToken } from '../identity/token.js';
import { requireArmToken, sendArmError } from './arm-errors.js';
import { FaultQueue } from './fault-queue.js';
import { isRecord, readJson, sendJson, sendText } from './http-io.js';
import type { JobEngine } from './job-engine.js';
import { jobJson, jobOutputText, streamJson } from './job-model.js';

/**
 * The Automation jobs API. Two callers reach it:
 * - ARM (`/subscriptions/...`): the built-in connector and @azure/arm-automation, with an ARM bearer token;
 * - the managed `azureautomation` connector through its connectionRuntimeUrl
 *   (`/apim/azureautomation/{connectionId}/subscriptions/...`), with the connection key, which also
 *   creates jobs by `PUT .../jobs?runbookName=...&wait=true`.
 */

export interface ArmContext {
  engine: JobEngine;
  faults: FaultQueue;
  /** Key the local managed-connector connection sends as `Authorization: Key <key>`. */
  connectionKey: string;
}

const JOBS_PATH =
  /^(\/apim\/azureautomation\/[^/]+)?\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Automation\/automationAccounts\/([^/]+)\/jobs(?:\/([^/]+)(?:\/(output|streams|stop)(?:\/([^/]+))?)?)?\/?$/i;

function toStringParameters(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) return undefined;
  const out: Record<string, string> = {};
  // Job parameters are a string dictionary; ARM's JSON reader turns other scalars into their text.
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'boolean') out[k] = v ? 'True' : 'False';
    else if (typeof v === 'number') out[k] = String(v);
    else if (v === null) out[k] = '';
    else out[k] = JSON.stringify(v);
  }
  return out;
}

function connectorAuthorized(req: IncomingMessage, key: string): boolean {
  const header = (req.headers.authorization ?? '').trim();
  const raw = /^Key\s+(.+)$/i.exec(header);
  if (raw) return raw[1] === key;
  return verifyLocalToken(header, ['https://apihub.azure.com']).ok;
}

export async function handleArm(ctx: ArmContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const m = JOBS_PATH.exec(url.pathname);
  if (!m) return sendArmError(res, 404, 'NotFound', `The resource path '${url.pathname}' is not served by the Azure Automation stand-in.`);
  const [, connectorPrefix, sub, rg, account, jobName, sub2, streamId] = m.map((s) => (s === undefined ? undefined : decodeURIComponent(s)));
  const method = req.method ?? 'GET';

  if (connectorPrefix) {
    if (!connectorAuthorized(req, ctx.connectionKey)) return sendArmError(res, 401, 'Unauthorized', 'The connection authorization is missing or invalid.');
  } else if (!requireArmToken(req, res)) {
    return;
  }
  const apiVersion = url.searchParams.get('api-version') ?? (connectorPrefix ? url.searchParams.get('x-ms-api-version') : null);
  if (!apiVersion) return sendArmError(res, 400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.');

  const fault = ctx.faults.take(method);
  if (fault) return sendArmError(res, fault.status, fault.code ?? 'InjectedFault', fault.message, FaultQueue.headers(fault));

  const accountId = `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Automation/automationAccounts/${account}`;
  const { engine } = ctx;

  if (!jobName) {
    if (method === 'PUT' && connectorPrefix) return createFromConnector(ctx, req, res, url, accountId);
    if (method !== 'GET') return sendArmError(res, 405, 'MethodNotAllowed', `${method} is not supported on the jobs collection.`);
    const prefix = `${accountId}/jobs/`.toLowerCase();
    return sendJson(res, 200, { value: engine.list().filter((j) => j.id.toLowerCase().startsWith(prefix)).map(jobJson) });
  }

  if (!sub2 && method === 'PUT') {
    const body = await readJson(req);
    if (body instanceof SyntaxError || !isRecord(body)) return sendArmError(res, 400, 'BadRequest', 'The request content was invalid and could not be deserialized.');
    const props = isRecord(body.properties) ? body.properties : undefined;
    const runbook = props && isRecord(props.runbook) && typeof props.runbook.name === 'string' ? props.runbook.name : undefined;
    if (!runbook) return sendArmError(res, 400, 'BadRequest', 'The runbook name is required: properties.runbook.name.');
    const parameters = toStringParameters(props?.parameters);
    if (!parameters) return sendArmError(res, 400, 'BadRequest', 'properties.parameters must be an object of parameter names to values.');
    const created = engine.create(accountId, jobName, runbook, parameters);
    if (!created.ok && created.reason === 'unknown-runbook') return sendArmError(res, 404, 'NotFound', 'Runbook not found.');
    if (!created.ok) return sendArmError(res, 409, 'Conflict', `A job with the name '${jobName}' already exists.`);
    return sendJson(res, 201, jobJson(created.job));
  }

  const job = engine.get(accountId, jobName);
  if (!job) return sendArmError(res, 404, 'NotFound', 'Job not found.');
  const sub2l = sub2?.toLowerCase();

  if (!sub2l && method === 'GET') return sendJson(res, 200, jobJson(job));
  if (sub2l === 'output' && method === 'GET') return sendText(res, 200, jobOutputText(job));
  if (sub2l === 'stop' && method === 'POST') {
    if (!engine.stop(job)) return sendArmError(res, 400, 'BadRequest', `The job cannot be stopped because it is ${job.status}.`);
    return sendJson(res, 200, {});
  }
  if (sub2l === 'streams' && method === 'GET') {
    if (streamId) {
      const stream = job.streams.find((s) => s.jobStreamId === streamId);
      if (!stream) return sendArmError(res, 404, 'NotFound', 'Job stream not found.');
      return sendJson(res, 200, streamJson(job, stream, true));
    }
    // Supports the documented $filter=properties/streamType eq 'Error' form.
    const filter = /streamType\s+eq\s+'(\w+)'/i.exec(url.searchParams.get('$filter') ?? '')?.[1]?.toLowerCase();
    const streams = job.streams.filter((s) => !filter || filter === 'any' || s.streamType.toLowerCase() === filter);
    return sendJson(res, 200, { value: streams.map((s) => streamJson(job, s, false)) });
  }
  sendArmError(res, 405, 'MethodNotAllowed', `${method} is not supported on this resource.`);
}

/** Managed connector "Create job": runbook in the query, parameters in the body, optional wait for completion. */
async function createFromConnector(ctx: ArmContext, req: IncomingMessage, res: ServerResponse, url: URL, accountId: string): Promise<void> {
  const runbook = url.searchParams.get('runbookName');
  if (!runbook) return sendArmError(res, 400, 'BadRequest', "The 'runbookName' query parameter is required.");
  const body = await readJson(req);
  if (body instanceof SyntaxError) return sendArmError(res, 400, 'BadRequest', 'The request content was invalid and could not be deserialized.');
  const props = isRecord(body) && isRecord(body.properties) ? body.properties : undefined;
  const parameters = toStringParameters(props?.parameters);
  if (!parameters) return sendArmError(res, 400, 'BadRequest', 'properties.parameters must be an object of parameter names to values.');
  const created = ctx.engine.create(accountId, randomUUID(), runbook, parameters);
  if (!created.ok) return sendArmError(res, 404, 'NotFound', 'Runbook not found.');
  if (/^true$/i.test(url.searchParams.get('wait') ?? '')) await ctx.engine.whenTerminal(created.job);
  sendJson(res, 200, jobJson(created.job));
}
