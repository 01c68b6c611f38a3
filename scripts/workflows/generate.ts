import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expandPlaceholders, type Json, type Params } from './placeholders.js';

/**
 * What `npm run build:workflows` writes (docs/workflow-design.md "Generated parts"):
 * - templates/<name>.json + templates/<name>.variants.json: whole workflows, one per row of the variants table
 *   (add-user-to-group and remove-user-from-group come from templates/group-membership.json);
 * - fragments/<name>.json: groups of top-level actions repeated in several children, written into each
 *   workflow listed in uses.json with that workflow's parameters. Only those actions are replaced (in place,
 *   keeping their position); everything else in the workflow is left as it is, so designer edits elsewhere stay.
 * Every generated action names its source in `metadata.generatedFrom`; fragment actions also say so in their
 * description, a template on its trigger's description (the whole workflow comes from it).
 */
export const SOURCES_DIR = 'scripts/workflows';
export const BUILD_COMMAND = 'npm run build:workflows';

type JsonObject = { [key: string]: Json };

export interface FragmentFile {
  about: string;
  parameters: Record<string, string>;
  defaults?: Record<string, Json>;
  actions: JsonObject;
}

/** One use of a fragment in a workflow: where its actions go (`at`, default the top level) and extra parameters. */
export interface FragmentUse {
  fragment: string;
  /** Path of the action map to write into, e.g. `Check_dry_run/else/For_each_exchange_change` (see resolveActionMap). */
  at?: string;
  params?: Record<string, Json>;
}

export interface WorkflowUse {
  /** Parameters for every fragment this workflow uses (a use's own `params` add to them). */
  params: Record<string, Json>;
  fragments: Array<string | FragmentUse>;
}

export function normaliseUse(use: string | FragmentUse): FragmentUse {
  return typeof use === 'string' ? { fragment: use } : use;
}

export interface GeneratedWorkflow {
  workflow: string;
  file: string;
  /** The text the sources generate. */
  text: string;
  /** The text on disk now (undefined when the file does not exist yet). */
  current: string | undefined;
  /** Sources that contributed (template and fragments), relative to the repository root. */
  sources: string[];
}

export class WorkflowSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkflowSourceError';
  }
}

/**
 * Logic Apps allows at most 256 characters in a description
 * (https://learn.microsoft.com/azure/logic-apps/logic-apps-limits-and-config#definition-limits).
 */
export const DESCRIPTION_LIMIT = 256;

/** The note a generated description ends with: where to make a change instead of here. */
export function generatedNote(source: string): string {
  return `(generated from ${source}: edit there)`;
}

const NOTE_PATTERN = / ?\(generated from scripts\/workflows\/[^)]*: edit there\)$/;

/** A description without the generated note (for deriving sources from edited workflows). */
export function withoutGeneratedNote(description: string): string {
  return description.replace(NOTE_PATTERN, '');
}

function withNote(description: unknown, source: string, where: string): string {
  const text = typeof description === 'string' ? withoutGeneratedNote(description) : '';
  const noted = text ? `${text} ${generatedNote(source)}` : generatedNote(source);
  if (noted.length > DESCRIPTION_LIMIT) {
    throw new WorkflowSourceError(
      `${source}: the description of ${where} is ${noted.length} characters with the generated note; Logic Apps allows ${DESCRIPTION_LIMIT}. Shorten it there.`,
    );
  }
  return noted;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Nested action maps of one action: If (actions, else), Switch (cases, default), Foreach/Until/Scope (actions). */
export function childActionMaps(action: JsonObject): JsonObject[] {
  const maps: JsonObject[] = [];
  if (isObject(action.actions)) maps.push(action.actions);
  if (isObject(action.else) && isObject(action.else.actions)) maps.push(action.else.actions);
  if (isObject(action.default) && isObject(action.default.actions)) maps.push(action.default.actions);
  if (isObject(action.cases)) {
    for (const branch of Object.values(action.cases)) if (isObject(branch) && isObject(branch.actions)) maps.push(branch.actions);
  }
  return maps;
}

/**
 * Marks every action in `actions` (nested ones too) as generated from `source`: always in
 * `metadata.generatedFrom` (what tests and tools read), and in the description when `noteDescriptions`
 * (fragments: each action says where to edit it; a template says so once, on its trigger).
 */
function markGenerated(actions: JsonObject, source: string, noteDescriptions: boolean): void {
  for (const [name, action] of Object.entries(actions)) {
    // Actions included from another fragment already name their own source.
    if (!isObject(action) || (isObject(action.metadata) && typeof action.metadata.generatedFrom === 'string')) continue;
    if (noteDescriptions) action.description = withNote(action.description, source, name);
    else if (typeof action.description === 'string' && action.description.length > DESCRIPTION_LIMIT) {
      throw new WorkflowSourceError(`${source}: the description of ${name} is ${action.description.length} characters; Logic Apps allows ${DESCRIPTION_LIMIT}. Shorten it there.`);
    }
    action.metadata = { ...(isObject(action.metadata) ? action.metadata : {}), generatedFrom: source };
    for (const nested of childActionMaps(action)) markGenerated(nested, source, noteDescriptions);
  }
}

async function readJson<T>(file: string): Promise<T> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (err) {
    throw new WorkflowSourceError(`${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export function fragmentSource(name: string): string {
  return `${SOURCES_DIR}/fragments/${name}.json`;
}

/**
 * In a template, an action written by a fragment is a marker string instead of an action object: it keeps the
 * action's place (the file reads in run order) and the build fails if no fragment fills it.
 */
export function fragmentMarker(fragment: string): string {
  return `written by ${fragmentSource(fragment)}`;
}

export function templateSource(name: string): string {
  return `${SOURCES_DIR}/templates/${name}.json`;
}

const MARKER = /^written by scripts\/workflows\/fragments\/([A-Za-z0-9-]+)\.json$/;

/** The fragment a marker string names, or undefined when `value` is not a marker. */
export function markerFragment(value: unknown): string | undefined {
  return typeof value === 'string' ? MARKER.exec(value)?.[1] : undefined;
}

/**
 * The actions one fragment adds to one workflow, marked as generated. An action of the fragment written as a
 * marker (`"written by scripts/workflows/fragments/<other>.json"`) is that action of the other fragment, expanded
 * with the same parameters: one source for actions that several fragments contain.
 */
export function expandFragment(
  fragment: FragmentFile,
  name: string,
  params: Params,
  fragments: ReadonlyMap<string, FragmentFile> = new Map(),
  including: readonly string[] = [],
): JsonObject {
  const source = fragmentSource(name);
  const given = { ...(fragment.defaults ?? {}), ...params };
  const actions = expandPlaceholders(fragment.actions, given, source);
  if (!isObject(actions)) throw new WorkflowSourceError(`${source}: "actions" must be an object`);
  const include = (map: JsonObject): void => {
    for (const [action, value] of Object.entries(map)) {
      const other = markerFragment(value);
      if (other === undefined) {
        if (isObject(value)) for (const nested of childActionMaps(value)) include(nested);
        continue;
      }
      const file = fragments.get(other);
      if (!file) throw new WorkflowSourceError(`${source}: ${action} is written by fragment '${other}', which does not exist`);
      if (including.includes(other) || other === name) throw new WorkflowSourceError(`${source}: fragments include each other (${[...including, name, other].join(' → ')})`);
      const expanded = expandFragment(file, other, params, fragments, [...including, name]);
      if (!(action in expanded)) throw new WorkflowSourceError(`${source}: ${fragmentSource(other)} has no action ${action}`);
      map[action] = expanded[action] as Json;
    }
  };
  include(actions);
  markGenerated(actions, source, true);
  return actions;
}

/** A whole workflow from a template row, every action marked as generated. */
export function expandTemplate(template: Json, name: string, params: Params): JsonObject {
  const source = templateSource(name);
  const doc = expandPlaceholders(template, params, source);
  const definition = isObject(doc) ? doc.definition : undefined;
  if (!isObject(doc) || !isObject(definition) || !isObject(definition.actions)) {
    throw new WorkflowSourceError(`${source}: must be a workflow.json with definition.actions`);
  }
  markGenerated(definition.actions, source, false);
  if (isObject(definition.triggers)) {
    for (const [name, trigger] of Object.entries(definition.triggers)) if (isObject(trigger)) trigger.description = withNote(trigger.description, source, name);
  }
  return doc;
}

/** Writes `generated` into `actions`: same-named actions are replaced where they stand, new ones appended. */
export function placeActions(actions: JsonObject, generated: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [name, action] of Object.entries(actions)) out[name] = name in generated ? (generated[name] as Json) : action;
  for (const [name, action] of Object.entries(generated)) if (!(name in out)) out[name] = action;
  return out;
}

/**
 * The action map at `at` in a definition (`` or undefined: its top-level `actions`): segments name actions; after an action, `else`, `default` or
 * a case name picks that branch, and any other segment is an action inside the action's own `actions`.
 * `get`/`set` read and replace that map where it is.
 */
export function resolveActionMap(definition: JsonObject, at: string | undefined): { get(): JsonObject; set(map: JsonObject): void } | undefined {
  if (!isObject(definition.actions)) return undefined;
  let holder: JsonObject = definition;
  let current: JsonObject = definition.actions;
  const segments = (at ?? '').split('/').filter(Boolean);
  let i = 0;
  while (i < segments.length) {
    const action = current[segments[i] as string];
    if (!isObject(action)) return undefined;
    const next = segments[i + 1];
    if (next === 'else' && isObject(action.else) && isObject(action.else.actions)) {
      holder = action.else;
      i += 2;
    } else if (next === 'default' && isObject(action.default) && isObject(action.default.actions)) {
      holder = action.default;
      i += 2;
    } else if (next !== undefined && isObject(action.cases) && isObject(action.cases[next])) {
      holder = action.cases[next] as JsonObject;
      i += 2;
    } else {
      holder = action;
      i += 1;
    }
    if (!isObject(holder.actions)) return undefined;
    current = holder.actions;
  }
  const target = holder;
  return { get: () => target.actions as JsonObject, set: (map) => (target.actions = map) };
}

export function serialiseWorkflow(doc: Json): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export interface WorkflowSources {
  templates: Map<string, { template: Json; variants: Record<string, Params> }>;
  fragments: Map<string, FragmentFile>;
  uses: Record<string, WorkflowUse>;
}

export async function readSources(repoRoot: string): Promise<WorkflowSources> {
  const dir = join(repoRoot, SOURCES_DIR);
  const templates = new Map<string, { template: Json; variants: Record<string, Params> }>();
  for (const file of (await readdir(join(dir, 'templates'))).filter((f) => f.endsWith('.json') && !f.endsWith('.variants.json')).sort()) {
    const name = file.replace(/\.json$/, '');
    templates.set(name, {
      template: await readJson<Json>(join(dir, 'templates', file)),
      variants: await readJson<Record<string, Params>>(join(dir, 'templates', `${name}.variants.json`)),
    });
  }
  const fragments = new Map<string, FragmentFile>();
  for (const file of (await readdir(join(dir, 'fragments'))).filter((f) => f.endsWith('.json')).sort()) {
    fragments.set(file.replace(/\.json$/, ''), await readJson<FragmentFile>(join(dir, 'fragments', file)));
  }
  const uses = await readJson<Record<string, WorkflowUse>>(join(dir, 'uses.json'));
  return { templates, fragments, uses };
}

/** Everything the sources generate, next to what is on disk now. Pure apart from reading files. */
export async function generateWorkflows(repoRoot: string, sources?: WorkflowSources): Promise<GeneratedWorkflow[]> {
  const { templates, fragments, uses } = sources ?? (await readSources(repoRoot));
  const docs = new Map<string, { doc: JsonObject; current: string | undefined; sources: string[] }>();
  const fileOf = (workflow: string): string => join(repoRoot, 'workflows', workflow, 'workflow.json');
  const currentText = async (workflow: string): Promise<string | undefined> =>
    existsSync(fileOf(workflow)) ? readFile(fileOf(workflow), 'utf8') : undefined;

  for (const [name, { template, variants }] of templates) {
    for (const [workflow, params] of Object.entries(variants)) {
      if (docs.has(workflow)) throw new WorkflowSourceError(`workflows/${workflow} is generated by two templates`);
      docs.set(workflow, { doc: expandTemplate(template, name, params), current: await currentText(workflow), sources: [templateSource(name)] });
    }
  }
  for (const [workflow, use_] of Object.entries(uses)) {
    let entry = docs.get(workflow);
    if (!entry) {
      const current = await currentText(workflow);
      if (current === undefined) throw new WorkflowSourceError(`${SOURCES_DIR}/uses.json names workflows/${workflow}, which does not exist`);
      entry = { doc: JSON.parse(current) as JsonObject, current, sources: [] };
      docs.set(workflow, entry);
    }
    const definition = entry.doc.definition;
    if (!isObject(definition) || !isObject(definition.actions)) throw new WorkflowSourceError(`workflows/${workflow}: no definition.actions`);
    const owned = new Map<string, string>();
    for (const use of use_.fragments.map(normaliseUse)) {
      const fragment = fragments.get(use.fragment);
      if (!fragment) throw new WorkflowSourceError(`${SOURCES_DIR}/uses.json: workflows/${workflow} uses fragment '${use.fragment}', which does not exist`);
      const generated = expandFragment(fragment, use.fragment, { ...use_.params, ...(use.params ?? {}) }, fragments);
      const place = resolveActionMap(definition, use.at);
      if (!place) throw new WorkflowSourceError(`${SOURCES_DIR}/uses.json: workflows/${workflow} has no action map at '${use.at}' for fragment '${use.fragment}'`);
      for (const action of Object.keys(generated)) {
        const key = `${use.at ?? ''}/${action}`;
        const other = owned.get(key);
        if (other) throw new WorkflowSourceError(`workflows/${workflow}: ${action} comes from both ${other} and ${use.fragment}`);
        owned.set(key, use.fragment);
      }
      place.set(placeActions(place.get(), generated));
      if (!entry.sources.includes(fragmentSource(use.fragment))) entry.sources.push(fragmentSource(use.fragment));
    }
  }
  for (const [workflow, { doc }] of docs) {
    const leftOver = (map: JsonObject, path: string): void => {
      for (const [name, action] of Object.entries(map)) {
        const fragment = markerFragment(action);
        if (fragment) throw new WorkflowSourceError(`workflows/${workflow}: ${path}${name} is left to fragment '${fragment}', but ${SOURCES_DIR}/uses.json does not apply it there`);
        if (typeof action === 'string') throw new WorkflowSourceError(`workflows/${workflow}: ${path}${name} is a string, not an action`);
        if (isObject(action)) for (const nested of childActionMaps(action)) leftOver(nested, `${path}${name}/`);
      }
    };
    leftOver((doc.definition as JsonObject).actions as JsonObject, '');
  }
  return [...docs.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([workflow, { doc, current, sources: used }]) => ({ workflow, file: fileOf(workflow), text: serialiseWorkflow(doc), current, sources: used }));
}
