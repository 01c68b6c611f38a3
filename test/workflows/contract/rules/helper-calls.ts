import { listActions } from '../action-tree.js';
import { httpCall, isHelperCall } from '../http-actions.js';
import { problemSink } from '../problem.js';
import { definitionOf } from '../project.js';
import { displayPath, matchingRoutes, pathAfterBase } from '../route-match.js';
import type { WorkflowRule } from './types.js';

/** Helper calls must reach a route the helpers app registers, as the Logic App's managed identity. */
export const helperCallsRule: WorkflowRule = {
  id: 'helper-call',
  title: 'helper calls target a registered route with managed identity (audience helpersAudience)',
  check(wf, project) {
    const { problems, add } = problemSink(wf.file, this.id);
    const { routes, routePrefix } = project.functions;
    for (const entry of listActions(definitionOf(wf))) {
      const call = httpCall(entry);
      if (!call || !isHelperCall(call)) continue;
      if (call.authType !== 'ManagedServiceIdentity' || call.audience !== "@parameters('helpersAudience')") {
        add(`authentication must be {type: ManagedServiceIdentity, audience: @parameters('helpersAudience')}, found ${JSON.stringify({ type: call.authType, audience: call.audience })}`, entry.name);
      }
      const path = pathAfterBase(call.uri, 'helpersBaseUrl');
      if (path === undefined) {
        add(`uri must start with @{parameters('helpersBaseUrl')} followed by the route, found ${JSON.stringify(call.uri)}`, entry.name);
        continue;
      }
      const { byPath, byPathAndMethod } = matchingRoutes(path, call.method, routePrefix, routes);
      if (byPathAndMethod.length > 0) continue;
      if (byPath.length > 0) {
        add(`${call.method} ${displayPath(path)}: the route is registered only for ${byPath.map((r) => `${r.methods.join('/')} (${r.file})`).join(', ')}`, entry.name);
      } else {
        add(`${call.method} ${displayPath(path)}: no lib/functions file registers this route under /${routePrefix}/`, entry.name);
      }
    }
    return problems;
  },
};
