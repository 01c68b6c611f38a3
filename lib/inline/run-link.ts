import { type InlineContext, isRecord, runName } from './context.js';

export interface NotificationSettings {
  subscriptionId?: string;
  resourceGroup?: string;
}

export interface RunLink {
  url?: string;
  label: string;
}

function headerValue(headers: unknown, name: string): string | undefined {
  if (!isRecord(headers)) return undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name && typeof value === 'string') return value;
  }
  return undefined;
}

/**
 * Where a technician opens this run. Locally the runtime serves the run-history page on the host the
 * webhook was posted to; in Azure the run lives in the portal under the Logic App resource (the app
 * name is the first label of `<app>.azurewebsites.net`).
 */
export function runLink(context: InlineContext, settings: NotificationSettings): RunLink {
  const workflow = context.workflow?.name ?? 'thread-webhook';
  const run = runName(context);
  const host = headerValue(context.trigger?.outputs?.headers, 'host') ?? '';
  const hostname = host.replace(/:\d+$/, '').toLowerCase();
  if (/^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(hostname) && /^[\w.:[\]-]+$/.test(host)) {
    return { url: `http://${host}/runs/${encodeURIComponent(workflow)}/${encodeURIComponent(run)}`, label: `Run ${run} in the run history` };
  }
  const site = hostname.endsWith('.azurewebsites.net') ? hostname.split('.')[0] : undefined;
  if (site && settings.subscriptionId && settings.resourceGroup) {
    const resource =
      `/subscriptions/${encodeURIComponent(settings.subscriptionId)}/resourceGroups/${encodeURIComponent(settings.resourceGroup)}` +
      `/providers/Microsoft.Web/sites/${encodeURIComponent(site)}`;
    return {
      url: `https://portal.azure.com/#resource${resource}/logicApp`,
      label: `Azure portal: Logic App ${site} → Workflows → ${workflow} → Run history → ${run}`,
    };
  }
  return { label: `Run history of workflow ${workflow}, run ${run}` };
}
