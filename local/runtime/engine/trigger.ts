import type { TriggerRequest } from '../model.js';
import type { CompiledWorkflow } from './compile.js';
import { operationOptions } from './compile.js';
import { TriggerRequestError } from './errors.js';
import { validateJsonSchema } from './json-schema.js';
import { withoutSasQueries } from './redact.js';

export interface AcceptedTrigger {
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
}

/** Matches "users/{upn}/x" against a request path; undefined when it does not match. */
export function matchRelativePath(template: string, path: string): Record<string, string> | undefined {
  const t = template.replace(/^\/+|\/+$/g, '').split('/').filter((s) => s !== '');
  const p = path.replace(/^\/+|\/+$/g, '').split('/').filter((s) => s !== '');
  if (t.length !== p.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < t.length; i++) {
    const seg = t[i] ?? '';
    const actual = p[i] ?? '';
    const m = /^\{(.+)\}$/.exec(seg);
    if (m) params[m[1] ?? ''] = safeDecode(actual);
    else if (seg.toLowerCase() !== safeDecode(actual).toLowerCase()) return undefined;
  }
  return params;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Checks a request against the Request trigger (method, relativePath, schema when schema
 * validation is on) and builds the trigger's inputs/outputs. Refusals are TriggerRequestError
 * with the HTTP status and Azure error code the caller receives.
 */
export function acceptTriggerRequest(compiled: CompiledWorkflow, triggerName: string, request: TriggerRequest): AcceptedTrigger {
  const wf = compiled.workflow;
  if (wf.triggerName.toLowerCase() !== triggerName.toLowerCase()) {
    throw new TriggerRequestError(404, 'WorkflowTriggerNotFound', `The workflow '${wf.name}' does not contain a trigger named '${triggerName}'.`);
  }
  const trigger = wf.trigger;
  const type = String(trigger.type ?? '');
  const defInputs = (trigger.inputs ?? {}) as { method?: unknown; relativePath?: unknown; schema?: unknown };
  const inputs: Record<string, unknown> = {};
  const outputs: Record<string, unknown> = { headers: request.headers };
  if (type.toLowerCase() !== 'request') {
    // Non-request triggers fire manually ("Run trigger"): no request checks, outputs carry the body.
    if (request.body !== undefined) outputs.body = request.body;
    return { inputs, outputs };
  }
  if (typeof defInputs.method === 'string' && defInputs.method !== '') {
    inputs.method = defInputs.method;
    if (defInputs.method.toUpperCase() !== request.method.toUpperCase()) {
      throw new TriggerRequestError(
        400,
        'TriggerRequestMethodNotValid',
        `The HTTP method for this request is not valid: expected '${capitalize(defInputs.method)}' and actual '${capitalize(request.method)}'.`,
      );
    }
  }
  if (typeof defInputs.relativePath === 'string' && defInputs.relativePath !== '') {
    inputs.relativePath = defInputs.relativePath;
    const params = matchRelativePath(defInputs.relativePath, request.relativePath);
    if (!params) {
      throw new TriggerRequestError(
        404,
        'TriggerRequestPathNotFound',
        `The request path '${request.relativePath}' does not match the relative path '${defInputs.relativePath}' of trigger '${wf.triggerName}'.`,
      );
    }
    outputs.relativePathParameters = params;
  } else if (request.relativePath.replace(/^\/+|\/+$/g, '') !== '') {
    throw new TriggerRequestError(404, 'TriggerRequestPathNotFound', `The trigger '${wf.triggerName}' does not accept a relative path.`);
  }
  if (defInputs.schema !== undefined) inputs.schema = defInputs.schema;
  if (defInputs.schema !== undefined && operationOptions(trigger.operationOptions).has('enableschemavalidation')) {
    const errors = validateJsonSchema(defInputs.schema, request.body === undefined ? null : request.body);
    if (errors.length > 0) {
      throw new TriggerRequestError(
        400,
        'TriggerInputSchemaMismatch',
        `The input body for trigger '${wf.triggerName}' of type 'Request' did not match its schema definition. Error details: '${errors.join(', ')}'.`,
      );
    }
  }
  const queries = withoutSasQueries(request.queries);
  if (Object.keys(queries).length > 0) outputs.queries = queries;
  if (request.body !== undefined) outputs.body = request.body;
  return { inputs, outputs };
}

function capitalize(m: string): string {
  return m.charAt(0).toUpperCase() + m.slice(1).toLowerCase();
}

/** Trigger conditions failed: Azure skips the trigger and starts no run (the caller gets 202). */
export function conditionsNotMet(triggerName: string): TriggerRequestError {
  return new TriggerRequestError(202, 'TriggerConditionsNotMet', `The trigger '${triggerName}' conditions were not met; no run was started.`);
}
