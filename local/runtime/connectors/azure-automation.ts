import { randomUUID } from 'node:crypto';
import type { OutboundResponse, ServiceProviderCall, ServiceProviderHandler, ServiceProviderResult } from '../model.js';

/**
 * The built-in Azure Automation connector (/serviceProviders/azureAutomation) of Logic Apps Standard
 * (https://learn.microsoft.com/azure/logic-apps/connectors/built-in/reference/azureautomation):
 * createJob (subscriptionId, resourceGroup, automationAccount, runbookName, optional waitForJob,
 * hybridAutomationWorkerGroup, runbookParameters), getJobStatus and getJobOutput (the account plus jobId)
 * over the ARM jobs API (https://learn.microsoft.com/rest/api/automation/job), authenticated with the app's
 * managed identity. createJob and getJobStatus output jobId, status, statusDetails, startTime, endTime and
 * creationTime; getJobOutput outputs the job's output text. getJobStatus answers 200 whatever the job's
 * status (a Failed job is data, not an action failure). Only the managed-identity connection type is
 * supported locally (the deployed app uses it too).
 */

export interface AzureAutomationProviderOptions {
  /** Poll delays while waitForJob, in ms (the last one repeats); passed through the runtime clock. */
  pollScheduleMs?: readonly number[];
}

const ARM_API_VERSION = '2023-11-01';
const ARM_AUDIENCE = 'https://management.azure.com/';
const DEFAULT_ARM_ENDPOINT = 'https://management.azure.com';
const DEFAULT_POLL_SCHEDULE = [500, 1000, 2000, 5000];
/** Statuses after which a job never changes again; Suspended needs a human, so waiting on it is pointless. */
const FINAL = new Set(['completed', 'failed', 'stopped', 'suspended']);

type Params = Record<string, unknown>;

class ConnectorError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

function requiredString(p: Params, name: string): string {
  const v = p[name];
  if (typeof v !== 'string' || v.trim() === '') {
    throw new ConnectorError(400, 'BadRequest', `The parameter '${name}' is required and must be a non-empty string.`);
  }
  return v.trim();
}

function optionalBool(p: Params, name: string): boolean {
  const v = p[name];
  if (v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
  throw new ConnectorError(400, 'BadRequest', `The parameter '${name}' must be a boolean.`);
}

/** Case-insensitive read of a connection parameter (connections.json authors vary the casing). */
function connectionValue(values: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(values).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : values[key];
}

function armBase(call: ServiceProviderCall): string {
  const fromConnection = connectionValue(call.connection.parameterValues, 'cloudEndpoint');
  const base = typeof fromConnection === 'string' && fromConnection !== '' ? fromConnection : process.env.ARM_ENDPOINT || DEFAULT_ARM_ENDPOINT;
  return base.replace(/\/+$/, '');
}

function jobsUrl(call: ServiceProviderCall, p: Params, jobName?: string, suffix = ''): string {
  const seg = (s: string) => encodeURIComponent(s);
  const account =
    `/subscriptions/${seg(requiredString(p, 'subscriptionId'))}/resourceGroups/${seg(requiredString(p, 'resourceGroup'))}` +
    `/providers/Microsoft.Automation/automationAccounts/${seg(requiredString(p, 'automationAccount'))}/jobs`;
  return `${armBase(call)}${account}${jobName ? `/${seg(jobName)}` : ''}${suffix}?api-version=${ARM_API_VERSION}`;
}

async function token(call: ServiceProviderCall): Promise<string> {
  const auth = connectionValue(call.connection.parameterValues, 'authProvider');
  const type = auth && typeof auth === 'object' ? connectionValue(auth as Record<string, unknown>, 'type') : undefined;
  if (typeof type === 'string' && type.toLowerCase() !== 'managedserviceidentity') {
    throw new ConnectorError(400, 'BadRequest', `Connection '${call.connection.name}' uses authentication type '${type}'; the local runtime supports ManagedServiceIdentity only.`);
  }
  const clientId = auth && typeof auth === 'object' ? connectionValue(auth as Record<string, unknown>, 'clientId') : undefined;
  return call.services.managedIdentityToken(ARM_AUDIENCE, typeof clientId === 'string' ? clientId : undefined);
}

async function armCall(call: ServiceProviderCall, method: string, url: string, body?: unknown): Promise<OutboundResponse> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${await token(call)}`,
    accept: 'application/json',
    'x-ms-client-request-id': randomUUID(),
  };
  if (body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
  const res = await call.services.http({ method, url, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) }, call.signal);
  if (res.statusCode >= 400) {
    const err = (res.body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    const code = typeof err?.code === 'string' ? err.code : `Http${res.statusCode}`;
    const message = typeof err?.message === 'string' ? err.message : typeof res.body === 'string' ? res.body : `HTTP ${res.statusCode}`;
    throw new ConnectorError(res.statusCode, code, message);
  }
  return res;
}

interface JobOutputs {
  jobId: string;
  status: string;
  statusDetails: string;
  startTime: string | null;
  endTime: string | null;
  creationTime: string | null;
}

function toJobOutputs(body: unknown): JobOutputs {
  const props = ((body as { properties?: Record<string, unknown> } | undefined)?.properties ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    jobId: str(props.jobId) ?? '',
    status: str(props.status) ?? '',
    statusDetails: str(props.statusDetails) ?? '',
    startTime: str(props.startTime),
    endTime: str(props.endTime),
    creationTime: str(props.creationTime),
  };
}

function runbookParameters(p: Params): Record<string, string> {
  const v = p.runbookParameters;
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new ConnectorError(400, 'BadRequest', "The parameter 'runbookParameters' must be an object.");
  // ARM job parameters are strings; PowerShell converts "True"/"False" and numbers back when binding.
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
    if (val === undefined || val === null) continue;
    out[k] = typeof val === 'string' ? val : typeof val === 'boolean' ? (val ? 'True' : 'False') : typeof val === 'number' ? String(val) : JSON.stringify(val);
  }
  return out;
}

async function waitForTerminal(call: ServiceProviderCall, p: Params, jobName: string, schedule: readonly number[]): Promise<JobOutputs> {
  for (let attempt = 0; ; attempt += 1) {
    await call.services.clock.sleep(schedule[Math.min(attempt, schedule.length - 1)] ?? 5000, call.signal);
    const res = await armCall(call, 'GET', jobsUrl(call, p, jobName));
    const job = toJobOutputs(res.body);
    if (FINAL.has(job.status.toLowerCase())) return job;
  }
}

/** Best-effort stop of a job the action no longer waits for (timeout / cancellation), so it cannot change Exchange later. */
async function stopJob(call: ServiceProviderCall, p: Params, jobName: string): Promise<void> {
  try {
    await call.services.http({ method: 'POST', url: jobsUrl(call, p, jobName, '/stop'), headers: { authorization: `Bearer ${await token(call)}` } });
  } catch {
    // The job may not exist (PUT never arrived) or be finished already; the abort is what the caller sees.
  }
}

async function createJob(call: ServiceProviderCall, schedule: readonly number[]): Promise<ServiceProviderResult> {
  const p = call.parameters;
  const runbookName = requiredString(p, 'runbookName');
  const wait = optionalBool(p, 'waitForJob');
  const runOn = typeof p.hybridAutomationWorkerGroup === 'string' ? p.hybridAutomationWorkerGroup : '';
  // A GUID job name cannot collide, as a name built from the runbook and a timestamp could for two jobs
  // started in the same second.
  const jobName = randomUUID();
  const body = { properties: { runbook: { name: runbookName }, parameters: runbookParameters(p), runOn } };
  try {
    const created = await armCall(call, 'PUT', jobsUrl(call, p, jobName), body);
    let job = toJobOutputs(created.body);
    if (wait) job = await waitForTerminal(call, p, jobName, schedule);
    return jobResult(job);
  } catch (err) {
    // The name is ours, so even a PUT whose response was cut off by the abort can be stopped.
    if (call.signal.aborted) await stopJob(call, p, jobName);
    throw err;
  }
}

function jobResult(job: JobOutputs): ServiceProviderResult {
  const status = job.status.toLowerCase();
  if (status === 'failed' || status === 'stopped' || status === 'suspended') {
    const detail = job.statusDetails && job.statusDetails !== 'None' ? ` (${job.statusDetails})` : '';
    throw new ConnectorError(400, `RunbookJob${job.status}`, `The runbook job ${job.jobId} ended with status ${job.status}${detail}.`, { ...job });
  }
  return { statusCode: 200, body: job };
}

async function getJobStatus(call: ServiceProviderCall): Promise<ServiceProviderResult> {
  const res = await armCall(call, 'GET', jobsUrl(call, call.parameters, requiredString(call.parameters, 'jobId')));
  return { statusCode: 200, body: toJobOutputs(res.body) };
}

async function getJobOutput(call: ServiceProviderCall): Promise<ServiceProviderResult> {
  const res = await armCall(call, 'GET', jobsUrl(call, call.parameters, requiredString(call.parameters, 'jobId'), '/output'));
  const text = typeof res.body === 'string' ? res.body : res.body === undefined ? '' : JSON.stringify(res.body);
  return { statusCode: 200, body: text };
}

/** Fetches a failed job's exception so the action error says why the runbook failed, not only that it did. */
async function withException(call: ServiceProviderCall, err: ConnectorError): Promise<ConnectorError> {
  const jobId = err.extra.jobId;
  if (typeof jobId !== 'string' || !jobId) return err;
  try {
    const res = await armCall(call, 'GET', jobsUrl(call, call.parameters, jobId));
    const exception = (res.body as { properties?: { exception?: unknown } }).properties?.exception;
    if (typeof exception === 'string' && exception) return new ConnectorError(err.statusCode, err.code, `${err.message} ${exception}`, err.extra);
  } catch {
    // Keep the original error: the job status already says it failed.
  }
  return err;
}

export function createAzureAutomationProvider(options: AzureAutomationProviderOptions = {}): ServiceProviderHandler {
  const schedule = options.pollScheduleMs?.length ? options.pollScheduleMs : DEFAULT_POLL_SCHEDULE;
  return {
    id: '/serviceproviders/azureautomation',
    operations: ['createJob', 'getJobStatus', 'getJobOutput'],
    async invoke(call: ServiceProviderCall): Promise<ServiceProviderResult> {
      try {
        switch (call.operationId) {
          case 'createJob':
            return await createJob(call, schedule);
          case 'getJobStatus':
            return await getJobStatus(call);
          case 'getJobOutput':
            return await getJobOutput(call);
          default:
            throw new ConnectorError(400, 'BadRequest', `Operation '${call.operationId}' is not an Azure Automation operation.`);
        }
      } catch (err) {
        if (!(err instanceof ConnectorError)) throw err;
        const e = err.code.startsWith('RunbookJob') ? await withException(call, err) : err;
        return {
          statusCode: e.statusCode,
          body: {
            ...e.extra,
            error: {
              code: 'ServiceProviderActionFailed',
              message: `The service provider action failed with error code '${e.code}' and error message '${e.message}'.`,
            },
          },
        };
      }
    },
  };
}
