import { createHash } from 'node:crypto';
import type { ExecutionContext } from './actions/types.js';

/**
 * The x-ms-workflow-* headers Logic Apps adds to every outgoing Http/connector request (as recorded in
 * Azure's request histories), so a called service can trace a request back to the run and action.
 * `operationOptions: "SuppressWorkflowHeaders"` turns them off, as in Azure.
 */
export function workflowId(workflowName: string): string {
  return createHash('md5').update(workflowName).digest('hex');
}

export function outgoingWorkflowHeaders(ctx: ExecutionContext): Record<string, string> {
  if (ctx.action.operationOptions.has('suppressworkflowheaders')) return {};
  const run = ctx.run.record;
  const id = workflowId(run.workflow);
  const settings = ctx.run.shared.project.appSettings;
  const headers: Record<string, string> = {
    'User-Agent': `azure-logic-apps/1.0,(workflow ${id}; version ${run.version})`,
    'x-ms-execution-location': settings.WORKFLOWS_LOCATION_NAME ?? 'local',
    'x-ms-workflow-id': id,
    'x-ms-workflow-version': run.version,
    'x-ms-workflow-name': run.workflow,
    'x-ms-workflow-system-id': `/scaleunits/prod-00/workflows/${id}`,
    'x-ms-workflow-run-id': run.name,
    'x-ms-workflow-operation-name': ctx.action.name,
    'x-ms-tracking-id': run.correlationId,
    'x-ms-correlation-id': run.correlationId,
    'x-ms-client-tracking-id': run.clientTrackingId,
    'x-ms-action-tracking-id': ctx.trackingId,
  };
  if (settings.WORKFLOWS_SUBSCRIPTION_ID) headers['x-ms-workflow-subscription-id'] = settings.WORKFLOWS_SUBSCRIPTION_ID;
  if (settings.WORKFLOWS_RESOURCE_GROUP_NAME) headers['x-ms-workflow-resourcegroup-name'] = settings.WORKFLOWS_RESOURCE_GROUP_NAME;
  return headers;
}
