import { graphPathSegments, rulesForCall, type GraphCallRule } from '../permissions/graph-calls.js';
import { WORKFLOW_GRAPH_ACTIONS } from '../permissions/workflow-graph-actions.js';
import { intentEntry } from './registry.js';

/**
 * The Microsoft Graph application permissions (and directory roles) the Logic App's identity needs for
 * one intent's workflow: its Graph Http actions (lib/intents/registry.ts `graphActions`) mapped onto
 * lib/permissions/graph-calls.ts, the one table of Graph calls and permissions. The helpers' read-only
 * look-ups need what infra/permissions.json grants the helpers' identity (checked in test/permissions).
 */
export interface IntentGraphPermissions {
  /** Rows of lib/permissions/graph-calls.ts the workflow's Graph actions hit. */
  rules: string[];
  /** Application permissions granted to the Logic App for those rows. */
  permissions: string[];
  /** Directory roles those rows also need (one of each list). */
  roles: string[];
}

/** The rows behind one named workflow Graph action, or [] when the action is not listed in workflow-graph-actions.ts. */
export function rulesOfWorkflowAction(actionName: string): GraphCallRule[] {
  const call = WORKFLOW_GRAPH_ACTIONS[actionName];
  if (!call) return [];
  const { version, segments } = graphPathSegments(call.path);
  return rulesForCall(call.method, version ?? 'v1.0', segments, call.bodyKeys ?? []);
}

export function graphPermissionsOf(intentId: string): IntentGraphPermissions {
  const entry = intentEntry(intentId);
  if (!entry) throw new Error(`Unknown intent id: ${intentId}`);
  const rules = entry.graphActions.flatMap(rulesOfWorkflowAction);
  return {
    rules: [...new Set(rules.map((r) => r.id))],
    permissions: [...new Set(rules.flatMap((r) => [...(r.granted?.logicApp ?? [])]))].sort(),
    roles: [...new Set(rules.flatMap((r) => (r.roles ? [r.roles[0] as string] : [])))],
  };
}
