import { isRecord, type JsonRecord } from './json.js';

/**
 * Flattens a workflow definition's nested action graph while keeping, for every action, the chain of
 * containers (and which branch of each) it sits in. Placement rules (dry-run guard, Response in a
 * loop, InitializeVariable in a scope) are questions about that chain.
 */
export type Branch =
  | { kind: 'body' }
  | { kind: 'then' }
  | { kind: 'else' }
  | { kind: 'case'; caseName: string; value: unknown }
  | { kind: 'default' };

export interface Ancestor {
  name: string;
  type: string;
  def: JsonRecord;
  branch: Branch;
}

export interface ActionEntry {
  name: string;
  type: string;
  def: JsonRecord;
  /** Outermost container first. Empty for top-level actions. */
  ancestors: Ancestor[];
}

function childGroups(type: string, def: JsonRecord): Array<{ branch: Branch; actions: unknown }> {
  const lower = type.toLowerCase();
  if (lower === 'if') {
    return [
      { branch: { kind: 'then' }, actions: def.actions },
      { branch: { kind: 'else' }, actions: isRecord(def.else) ? def.else.actions : undefined },
    ];
  }
  if (lower === 'switch') {
    const groups: Array<{ branch: Branch; actions: unknown }> = [];
    if (isRecord(def.cases)) {
      for (const [caseName, c] of Object.entries(def.cases)) {
        if (isRecord(c)) groups.push({ branch: { kind: 'case', caseName, value: c.case }, actions: c.actions });
      }
    }
    groups.push({ branch: { kind: 'default' }, actions: isRecord(def.default) ? def.default.actions : undefined });
    return groups;
  }
  return [{ branch: { kind: 'body' }, actions: def.actions }];
}

function collect(actions: unknown, ancestors: Ancestor[], out: ActionEntry[]): void {
  if (!isRecord(actions)) return;
  for (const [name, raw] of Object.entries(actions)) {
    const def = isRecord(raw) ? raw : {};
    const type = typeof def.type === 'string' ? def.type : '';
    out.push({ name, type, def, ancestors });
    for (const group of childGroups(type, def)) {
      collect(group.actions, [...ancestors, { name, type, def, branch: group.branch }], out);
    }
  }
}

/** Every action of a definition, depth first, parents before their children. */
export function listActions(definition: unknown): ActionEntry[] {
  const out: ActionEntry[] = [];
  if (isRecord(definition)) collect(definition.actions, [], out);
  return out;
}

export function describeBranch(a: Ancestor): string {
  switch (a.branch.kind) {
    case 'then':
      return `the true branch of '${a.name}'`;
    case 'else':
      return `the else branch of '${a.name}'`;
    case 'case':
      return `case '${a.branch.caseName}' of '${a.name}'`;
    case 'default':
      return `the default case of '${a.name}'`;
    case 'body':
      return `'${a.name}'`;
  }
}
