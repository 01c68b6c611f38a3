import { listActions } from './action-tree.js';
import { isRecord, type JsonRecord } from './json.js';

/**
 * The part of a workflow each trigger/action owns, without the nested actions (they are listed on
 * their own), so a reference or a secret is reported against the action that holds it.
 */
const NESTED_KEYS = new Set(['actions', 'else', 'cases', 'default']);

function withoutNested(def: JsonRecord): JsonRecord {
  const own: JsonRecord = {};
  for (const [k, v] of Object.entries(def)) if (!NESTED_KEYS.has(k)) own[k] = v;
  // Switch case values stay: they are expressions of this action too.
  if (isRecord(def.cases)) own.cases = Object.fromEntries(Object.entries(def.cases).map(([name, c]) => [name, isRecord(c) ? { case: c.case } : c]));
  return own;
}

export interface OwnedPart {
  /** Action or trigger name; undefined for the definition's own fields (parameters, outputs...). */
  name: string | undefined;
  value: unknown;
}

export function ownedParts(definition: JsonRecord): OwnedPart[] {
  const parts: OwnedPart[] = [];
  if (isRecord(definition.triggers)) for (const [name, t] of Object.entries(definition.triggers)) parts.push({ name, value: t });
  for (const entry of listActions(definition)) parts.push({ name: entry.name, value: withoutNested(entry.def) });
  const rest: JsonRecord = {};
  for (const [k, v] of Object.entries(definition)) if (k !== 'triggers' && k !== 'actions') rest[k] = v;
  parts.push({ name: undefined, value: rest });
  return parts;
}
