import { contextUrl, ok, type GraphCall, type GraphResult } from '../http-types.js';
import { GROUP_FILTER_RULES } from '../odata/filter-rules.js';
import { countCollection, listCollection, type CollectionSpec } from '../odata/list.js';
import { parseSelect, project } from '../odata/select.js';
import type { Route } from '../router.js';
import { groupById } from './resolve.js';
import { GROUP_DEFAULTS, GROUP_SELECTABLE, groupView } from './views.js';

/** /groups: list (displayName lookups with OData escaping enforced by the parser) and get. */

export const GROUP_COLLECTION: CollectionSpec = {
  contextName: 'groups',
  rules: GROUP_FILTER_RULES,
  selectable: GROUP_SELECTABLE,
  defaults: GROUP_DEFAULTS,
  // hideFromAddressLists/hideFromOutlookClients: "Supported only on the Get group API" (resources/group.md).
  refusedInCollection: ['hideFromAddressLists', 'hideFromOutlookClients'],
  orderable: ['displayName'],
  defaultPageSize: 100,
};

function allGroups(call: GraphCall) {
  return [...call.state.groups.values()].map((g) => ({ view: groupView(g) }));
}

function getGroup(call: GraphCall, id: string): GraphResult {
  const group = groupById(call, id);
  const select = parseSelect(call.query.get('$select'), GROUP_FILTER_RULES.typeName, GROUP_SELECTABLE);
  const fragment = select ? `groups(${select.join(',')})/$entity` : 'groups/$entity';
  return ok({ '@odata.context': contextUrl(call.version, fragment), ...project(groupView(group), select, GROUP_DEFAULTS) });
}

export const groupRoutes: Route[] = [
  { method: 'GET', pattern: 'groups', handler: (c) => listCollection(c, GROUP_COLLECTION, allGroups(c)) },
  { method: 'GET', pattern: 'groups/$count', handler: (c) => countCollection(c, GROUP_COLLECTION, allGroups(c)) },
  { method: 'GET', pattern: 'groups/{group}', handler: (c, p) => getGroup(c, p.group as string) },
];
