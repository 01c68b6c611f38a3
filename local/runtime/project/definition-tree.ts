import { isRecord } from './read-json.js';

/**
 * A workflow definition's actions as a tree of scopes: the top level, each Scope/Foreach/Until body,
 * each If branch and each Switch case is one scope whose actions are siblings (runAfter may only name
 * a sibling). Placement rules (Response in a loop or a parallel branch, nesting depth) are questions
 * about this tree.
 */
export interface TreeAction {
  name: string;
  def: Record<string, unknown>;
  /** Lower-cased `type`. */
  type: string;
  scope: TreeScope;
  /** Containers from the top down (empty at the top level). */
  ancestors: TreeAction[];
}

export interface TreeScope {
  /** The container this scope belongs to; undefined for the top level. */
  owner: TreeAction | undefined;
  actions: Map<string, TreeAction>;
}

export interface DefinitionTree {
  top: TreeScope;
  /** Every action, parents before their children. */
  actions: TreeAction[];
}

/** The action graphs nested in a container: body, If branches, Switch cases and default. */
export function childActionGroups(type: string, def: Record<string, unknown>): unknown[] {
  if (type === 'if') return [def.actions, isRecord(def.else) ? def.else.actions : undefined];
  if (type === 'switch') {
    const cases = isRecord(def.cases) ? Object.values(def.cases).map((c) => (isRecord(c) ? c.actions : undefined)) : [];
    return [...cases, isRecord(def.default) ? def.default.actions : undefined];
  }
  if (type === 'scope' || type === 'foreach' || type === 'until') return [def.actions];
  return [];
}

export function definitionTree(definition: unknown): DefinitionTree {
  const all: TreeAction[] = [];
  const build = (actions: unknown, owner: TreeAction | undefined, ancestors: TreeAction[]): TreeScope => {
    const scope: TreeScope = { owner, actions: new Map() };
    if (!isRecord(actions)) return scope;
    for (const [name, raw] of Object.entries(actions)) {
      if (!isRecord(raw)) continue;
      const action: TreeAction = { name, def: raw, type: typeof raw.type === 'string' ? raw.type.toLowerCase() : '', scope, ancestors };
      scope.actions.set(name, action);
      all.push(action);
      for (const group of childActionGroups(action.type, raw)) build(group, action, [...ancestors, action]);
    }
    return scope;
  };
  const top = build(isRecord(definition) ? definition.actions : undefined, undefined, []);
  return { top, actions: all };
}
