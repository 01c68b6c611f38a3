import { listActions } from '../action-tree.js';
import { GRAPH_AUDIENCE, REQUEST_GRAPH_AUDIENCE, hasRetryPolicy, httpCall, isGraphCall, mentionsParameter } from '../http-actions.js';
import { problemSink } from '../problem.js';
import { definitionOf } from '../project.js';
import { pathAfterBase } from '../route-match.js';
import type { WorkflowRule } from './types.js';

/**
 * Graph calls go out as the Logic App's managed identity with the Graph audience, and carry a retry
 * policy: throttling (429) and 503/504 are left to the workflow's retries by design.
 */
export const graphCallsRule: WorkflowRule = {
  id: 'graph-call',
  title: 'Graph calls use managed identity (audience https://graph.microsoft.com) and a retryPolicy',
  check(wf) {
    const { problems, add } = problemSink(wf.file, this.id);
    for (const entry of listActions(definitionOf(wf))) {
      const call = httpCall(entry);
      if (!call || !isGraphCall(call)) continue;
      // The request's audience: Graph's in customer mode, the helpers' (relay) in msp mode (docs/msp-mode.md).
      if (call.authType !== 'ManagedServiceIdentity' || (call.audience !== GRAPH_AUDIENCE && call.audience !== REQUEST_GRAPH_AUDIENCE)) {
        add(`authentication must be {type: ManagedServiceIdentity, audience: ${GRAPH_AUDIENCE}}, found ${JSON.stringify({ type: call.authType, audience: call.audience })}`, entry.name);
      }
      if (!hasRetryPolicy(entry)) add('a Graph call needs inputs.retryPolicy (429/503/504 are retried by the workflow)', entry.name);
      if (mentionsParameter(call.uri, 'graphBaseUrl') && pathAfterBase(call.uri, 'graphBaseUrl') === undefined) {
        add(`uri must start with @{parameters('graphBaseUrl')}, found ${JSON.stringify(call.uri)}`, entry.name);
      }
    }
    return problems;
  },
};
