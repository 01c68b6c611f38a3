import { describeDeniedGraphCall, type DeniedGraphCall } from './graph-calls.js';

/**
 * The Graph call behind each Graph Http action of the workflows, for actions whose inputs are secured
 * (a password in the body) and so cannot be read back at run time. test/permissions checks this list
 * against workflows/*\/workflow.json, so a new Graph action cannot be left out.
 * Pure data (the helpers' summaries and the permission tests read it).
 */
export interface WorkflowGraphCall {
  method: string;
  /** Versioned path with placeholders, e.g. "/v1.0/users/{id}". */
  path: string;
  /** Body properties that decide the permission (PATCH /users). */
  bodyKeys?: string[];
}

const USER = '/v1.0/users/{id}';
export const WORKFLOW_GRAPH_ACTIONS: Readonly<Record<string, WorkflowGraphCall>> = {
  Add_member_via_Graph: { method: 'POST', path: '/v1.0/groups/{id}/members/$ref' },
  Remove_member_via_Graph: { method: 'DELETE', path: '/v1.0/groups/{id}/members/{id}/$ref' },
  Remove_group_member: { method: 'DELETE', path: '/v1.0/groups/{id}/members/{id}/$ref' },
  Remove_license_group_member: { method: 'DELETE', path: '/v1.0/groups/{id}/members/{id}/$ref' },
  Remove_group_owner: { method: 'DELETE', path: '/v1.0/groups/{id}/owners/{id}/$ref' },
  Set_usage_location: { method: 'PATCH', path: USER, bodyKeys: ['usageLocation'] },
  Assign_license: { method: 'POST', path: `${USER}/assignLicense` },
  Assign_license_after_wait: { method: 'POST', path: `${USER}/assignLicense` },
  Remove_license: { method: 'POST', path: `${USER}/assignLicense` },
  Remove_licenses: { method: 'POST', path: `${USER}/assignLicense` },
  Delete_authentication_method: { method: 'DELETE', path: `${USER}/authentication/phoneMethods/{id}` }, // any method type: all need the same permission
  Delete_default_method: { method: 'DELETE', path: `${USER}/authentication/phoneMethods/{id}` }, // any method type: all need the same permission
  Revoke_sign_in_sessions: { method: 'POST', path: `${USER}/revokeSignInSessions` },
  Create_user: { method: 'POST', path: '/v1.0/users' },
  Read_new_user: { method: 'GET', path: USER },
  Set_manager: { method: 'PUT', path: `${USER}/manager/$ref` },
  Set_password_via_Graph: { method: 'PATCH', path: USER, bodyKeys: ['passwordProfile'] },
  Reset_password_to_random: { method: 'PATCH', path: USER, bodyKeys: ['passwordProfile'] },
  Block_sign_in: { method: 'PATCH', path: USER, bodyKeys: ['accountEnabled'] },
};

interface ActionLike {
  name?: string;
  inputs?: unknown;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** The Graph call an action made: from its inputs when they are readable, else from its name. */
export function graphCallOfAction(action: ActionLike | undefined): WorkflowGraphCall | undefined {
  const inputs = record(action?.inputs);
  const uri = typeof inputs?.uri === 'string' ? inputs.uri : undefined;
  const method = typeof inputs?.method === 'string' ? inputs.method : undefined;
  if (uri && method && /\/(v1\.0|beta)\//i.test(uri)) {
    const body = record(inputs?.body);
    return { method: method.toUpperCase(), path: uri, ...(body ? { bodyKeys: Object.keys(body) } : {}) };
  }
  return action?.name ? WORKFLOW_GRAPH_ACTIONS[action.name] : undefined;
}

/** For a Graph 403 answered to a workflow action: the Logic App's missing permission or role, and how to grant it. */
export function deniedWorkflowGraphCall(action: ActionLike | undefined): DeniedGraphCall | undefined {
  const call = graphCallOfAction(action);
  return call ? describeDeniedGraphCall(call.method, call.path, 'logicApp', call.bodyKeys ?? []) : undefined;
}
