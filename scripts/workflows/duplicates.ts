import { childActionMaps } from './generate.js';
import type { Json } from './placeholders.js';

/**
 * Finds action subtrees that are copies of each other, across workflows and within one
 * (test/workflows/duplication.test.ts; docs/workflow-design.md "Generated parts").
 * Two subtrees are copies when their canonical forms are equal: runAfter, descriptions and metadata are
 * left out (a reworded copy is still a copy), and every reference to one of the workflow's own action
 * names becomes a numbered placeholder in order of appearance, so `Start_add_member_job` and
 * `Start_remove_member_job` copies match. Copies that all come from scripts/workflows (metadata.generatedFrom
 * on the action or an ancestor) have one source and are not reported.
 */
type JsonObject = { [key: string]: Json };

export interface Occurrence {
  workflow: string;
  /** e.g. `Check_dry_run/else/For_each_exchange_change`. */
  path: string;
  generatedFrom: string | undefined;
}

export interface DuplicateGroup {
  actions: number;
  characters: number;
  occurrences: Occurrence[];
}

export interface DuplicateLimits {
  /** Report copies of subtrees with at least this many actions (the root included)… */
  minActions: number;
  /** …or at least this many characters in canonical form. */
  minCharacters: number;
}

export const DEFAULT_LIMITS: DuplicateLimits = { minActions: 2, minCharacters: 600 };

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface Subtree extends Occurrence {
  canonical: string;
  actions: number;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function collectNames(actions: JsonObject, out: Set<string>): void {
  for (const [name, action] of Object.entries(actions)) {
    out.add(name);
    if (isObject(action)) for (const nested of childActionMaps(action)) collectNames(nested, out);
  }
}

function withoutNoise(value: Json): Json {
  if (Array.isArray(value)) return value.map(withoutNoise);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, member] of Object.entries(value)) {
    if (key === 'runAfter' || key === 'description' || key === 'metadata') continue;
    out[key] = withoutNoise(member);
  }
  return out;
}

function countActions(action: JsonObject): number {
  let count = 1;
  for (const nested of childActionMaps(action)) for (const child of Object.values(nested)) if (isObject(child)) count += countActions(child);
  return count;
}

function canonicalise(action: JsonObject, names: RegExp | undefined): string {
  const text = JSON.stringify(withoutNoise(action));
  if (!names) return text;
  const numbers = new Map<string, number>();
  return text.replace(names, (name) => {
    if (!numbers.has(name)) numbers.set(name, numbers.size + 1);
    return `<action ${numbers.get(name)}>`;
  });
}

function collectSubtrees(workflow: string, actions: JsonObject, names: RegExp | undefined, prefix: string, inherited: string | undefined, out: Subtree[]): void {
  for (const [name, action] of Object.entries(actions)) {
    if (!isObject(action)) continue;
    const metadata = isObject(action.metadata) ? action.metadata : {};
    const generatedFrom = inherited ?? (typeof metadata.generatedFrom === 'string' ? metadata.generatedFrom : undefined);
    const path = `${prefix}${name}`;
    out.push({ workflow, path, generatedFrom, canonical: canonicalise(action, names), actions: countActions(action) });
    const branches: Array<[string, unknown]> = [
      ['', action.actions],
      ['else/', isObject(action.else) ? action.else.actions : undefined],
      ['default/', isObject(action.default) ? action.default.actions : undefined],
      ...Object.entries(isObject(action.cases) ? action.cases : {}).map(([c, b]): [string, unknown] => [`${c}/`, isObject(b) ? b.actions : undefined]),
    ];
    for (const [branch, nested] of branches) if (isObject(nested)) collectSubtrees(workflow, nested, names, `${path}/${branch}`, generatedFrom, out);
  }
}

/** Every duplicated subtree above the limits that does not come entirely from scripts/workflows, largest first. */
export function findDuplicates(workflows: ReadonlyArray<{ name: string; doc: unknown }>, limits: DuplicateLimits = DEFAULT_LIMITS): DuplicateGroup[] {
  const subtrees: Subtree[] = [];
  for (const { name, doc } of workflows) {
    const definition = isObject(doc) && isObject(doc.definition) ? doc.definition : undefined;
    const actions = definition && isObject(definition.actions) ? definition.actions : undefined;
    if (!actions) continue;
    const names = new Set<string>();
    collectNames(actions, names);
    const sorted = [...names].sort((a, b) => b.length - a.length).map(escapeRegExp);
    const pattern = sorted.length > 0 ? new RegExp(`(?<![A-Za-z0-9_])(?:${sorted.join('|')})(?![A-Za-z0-9_])`, 'g') : undefined;
    collectSubtrees(name, actions, pattern, '', undefined, subtrees);
  }
  const groups = new Map<string, Subtree[]>();
  for (const subtree of subtrees) {
    if (subtree.actions < limits.minActions && subtree.canonical.length < limits.minCharacters) continue;
    const group = groups.get(subtree.canonical) ?? [];
    group.push(subtree);
    groups.set(subtree.canonical, group);
  }
  const copies = [...groups.values()].filter((group) => group.length > 1 && group.some((s) => s.generatedFrom === undefined));
  // Report the largest copies only: a subtree inside a reported copy is reported with it.
  const reported = new Set(copies.flatMap((group) => group.map((s) => `${s.workflow}:${s.path}`)));
  const insideReported = (s: Subtree): boolean => {
    const parts = s.path.split('/');
    for (let i = parts.length - 1; i > 0; i--) if (reported.has(`${s.workflow}:${parts.slice(0, i).join('/')}`)) return true;
    return false;
  };
  return copies
    .filter((group) => !group.every(insideReported))
    .map((group) => ({
      actions: group[0]?.actions ?? 0,
      characters: group[0]?.canonical.length ?? 0,
      occurrences: group.map(({ workflow, path, generatedFrom }) => ({ workflow, path, generatedFrom })),
    }))
    .sort((a, b) => b.characters - a.characters);
}

/** One line per copy, for test failures and the CLI. */
export function describeDuplicate(group: DuplicateGroup): string {
  const where = group.occurrences.map((o) => `workflows/${o.workflow}: ${o.path}${o.generatedFrom ? ` (from ${o.generatedFrom})` : ''}`);
  return `${group.actions} action(s), ${group.characters} characters, ${group.occurrences.length} copies:\n  ${where.join('\n  ')}`;
}
