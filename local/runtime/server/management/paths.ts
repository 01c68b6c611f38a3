/** Path prefix of the workflow management API as the Standard host serves it (https://learn.microsoft.com/rest/api/appservice/workflow-runs). */
export const MANAGEMENT_PREFIX = '/runtime/webhooks/workflow/api/management';

const enc = encodeURIComponent;

export function runPath(workflow: string, runName: string): string {
  return `/workflows/${enc(workflow)}/runs/${enc(runName)}`;
}

export function actionPath(workflow: string, runName: string, action: string): string {
  return `${runPath(workflow, runName)}/actions/${enc(action)}`;
}

export function repetitionPath(workflow: string, runName: string, action: string, repetition: string): string {
  return `${actionPath(workflow, runName, action)}/repetitions/${enc(repetition)}`;
}

/** Where a run's async Response operation is polled (the Location of a 202 for operationOptions "Asynchronous"). */
export function operationPath(workflow: string, runName: string, operationId: string): string {
  return `${MANAGEMENT_PREFIX}${runPath(workflow, runName)}/operations/${enc(operationId)}`;
}
