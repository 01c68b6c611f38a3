import type { LoadedWorkflow } from '../model.js';
import type { AccessKeys } from './access-keys.js';
import { signPath, triggerPermissionPath } from './sas.js';

/** api-version the Standard host's invoke URLs carry. */
export const TRIGGER_API_VERSION = '2022-05-01';

export interface CallbackUrl {
  value: string;
  method: string;
  basePath: string;
  relativePath?: string;
  relativePathParameters?: string[];
  queries: { 'api-version': string; sp: string; sv: string; sig: string };
}

/** Whether the workflow's trigger can be called over HTTP (has a callback URL). */
export function isRequestTrigger(wf: LoadedWorkflow): boolean {
  const type = (wf.trigger as { type?: unknown }).type;
  return typeof type === 'string' && type.toLowerCase() === 'request';
}

/** The signed invoke URL of a Request trigger, in listCallbackUrl's shape (https://learn.microsoft.com/rest/api/appservice/workflow-triggers/list-callback-url). */
export function callbackUrl(baseUrl: string, wf: LoadedWorkflow, keys: AccessKeys): CallbackUrl {
  const key = keys.get(wf.name)?.primary;
  if (!key) throw new Error(`Workflow '${wf.name}' has no access key.`);
  const inputs = ((wf.trigger as { inputs?: unknown }).inputs ?? {}) as { method?: unknown; relativePath?: unknown };
  const sp = triggerPermissionPath(wf.triggerName);
  const queries = { 'api-version': TRIGGER_API_VERSION, sp, sv: '1.0', sig: signPath(key, sp) };
  const basePath = `${baseUrl}/api/${encodeURIComponent(wf.name)}/triggers/${encodeURIComponent(wf.triggerName)}/invoke`;
  const relativePath = typeof inputs.relativePath === 'string' && inputs.relativePath.length > 0 ? inputs.relativePath.replace(/^\/+/, '') : undefined;
  const query = new URLSearchParams(queries).toString();
  const result: CallbackUrl = {
    value: `${basePath}${relativePath ? `/${relativePath}` : ''}?${query}`,
    method: typeof inputs.method === 'string' ? inputs.method.toUpperCase() : 'POST',
    basePath,
    queries,
  };
  if (relativePath) {
    result.relativePath = relativePath;
    result.relativePathParameters = [...relativePath.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? '');
  }
  return result;
}
