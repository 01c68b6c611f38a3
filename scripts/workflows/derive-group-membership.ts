import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expandPlaceholders, type Json, type Params } from './placeholders.js';
import {
  childActionMaps,
  expandFragment,
  fragmentMarker,
  fragmentSource,
  normaliseUse,
  readSources,
  resolveActionMap,
  SOURCES_DIR,
  withoutGeneratedNote,
  type WorkflowSources,
} from './generate.js';

/**
 * `node dist/scripts/workflows/derive-group-membership.js [--check]`: rebuilds templates/group-membership.json
 * from the workflows/add-user-to-group JSON as it is now (e.g. after a designer session there), turning the
 * values of the add-user-to-group row of group-membership.variants.json into placeholders. It then proves
 * that the template expanded with each row gives back both workflows exactly (apart from the actions the
 * fragments own), and stops naming the first differences when it does not (`--follow-add`: only add-user-to-group
 * must match; the next build rewrites remove-user-from-group from the template). `graphWriteInputs` is taken
 * from each workflow's Graph write action, so a changed Graph call is picked up for both rows.
 */
type JsonObject = { [key: string]: Json };
const TEMPLATE = 'group-membership';
const VARIANTS = ['add-user-to-group', 'remove-user-from-group'] as const;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface OwnedAction {
  at: string | undefined;
  name: string;
  fragment: string;
  /** What the fragment writes there. */
  generated: Json;
}

/** The workflow without what the generator adds (notes, metadata.generatedFrom); fragment-owned actions become markers. */
function stripGenerated(doc: JsonObject, fragmentOwned: readonly OwnedAction[]): JsonObject {
  const copy = JSON.parse(JSON.stringify(doc)) as JsonObject;
  const clean = (actions: JsonObject): void => {
    for (const action of Object.values(actions)) {
      if (!isObject(action)) continue;
      if (typeof action.description === 'string') action.description = withoutGeneratedNote(action.description);
      if (isObject(action.metadata)) {
        delete action.metadata.generatedFrom;
        if (Object.keys(action.metadata).length === 0) delete action.metadata;
      }
      for (const nested of childActionMaps(action)) clean(nested);
    }
  };
  const definition = copy.definition as JsonObject;
  // The fragment's actions become markers, so the build writes them back where they stood.
  for (const { at, name, fragment } of fragmentOwned) {
    const place = resolveActionMap(definition, at);
    const actions = place?.get();
    if (actions && name in actions) actions[name] = fragmentMarker(fragment);
  }
  clean(definition.actions as JsonObject);
  for (const trigger of Object.values(definition.triggers as JsonObject)) {
    if (isObject(trigger) && typeof trigger.description === 'string') trigger.description = withoutGeneratedNote(trigger.description);
  }
  return copy;
}

function fragmentOwned(sources: WorkflowSources, workflow: string): OwnedAction[] {
  const use = sources.uses[workflow];
  const owned: OwnedAction[] = [];
  for (const { fragment, at, params } of (use?.fragments ?? []).map(normaliseUse)) {
    const file = sources.fragments.get(fragment);
    if (!file) continue;
    const generated = expandFragment(file, fragment, { ...(use?.params ?? {}), ...(params ?? {}) }, sources.fragments);
    for (const [name, action] of Object.entries(generated)) owned.push({ at, name, fragment, generated: action });
  }
  return owned;
}

function findGraphWriteInputs(doc: JsonObject, graphWrite: string): Json {
  let found: Json | undefined;
  const walk = (actions: JsonObject): void => {
    for (const [name, action] of Object.entries(actions)) {
      if (!isObject(action)) continue;
      if (name === graphWrite) found = action.inputs;
      for (const nested of childActionMaps(action)) walk(nested);
    }
  };
  walk((doc.definition as JsonObject).actions as JsonObject);
  if (found === undefined) throw new Error(`no action ${graphWrite} found`);
  return found;
}

function parametrise(value: Json, row: Params): Json {
  const whole = Object.entries(row).filter(([, v]) => v !== undefined && typeof v !== 'string') as Array<[string, Json]>;
  const strings = (Object.entries(row).filter(([, v]) => typeof v === 'string') as Array<[string, string]>).sort(([, a], [, b]) => b.length - a.length);
  const inString = (text: string): string => {
    if (strings.some(([, v]) => v === text)) return `{{${strings.find(([, v]) => v === text)?.[0]}}}`;
    let out = text;
    for (const [name, literal] of strings) out = out.split(literal).join(`{{${name}}}`);
    return out;
  };
  const walk = (node: Json): Json => {
    for (const [name, literal] of whole) if (JSON.stringify(node) === JSON.stringify(literal)) return `{{${name}}}`;
    if (typeof node === 'string') return inString(node);
    if (Array.isArray(node)) return node.map(walk);
    if (isObject(node)) return Object.fromEntries(Object.entries(node).map(([k, v]) => [inString(k), walk(v)]));
    return node;
  };
  return walk(value);
}

function firstDifferences(a: Json, b: Json, path = '', out: string[] = []): string[] {
  if (out.length >= 10) return out;
  if (JSON.stringify(a) === JSON.stringify(b)) return out;
  if (isObject(a) && isObject(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) firstDifferences(a[key] ?? null, b[key] ?? null, `${path}/${key}`, out);
    if (JSON.stringify(Object.keys(a)) !== JSON.stringify(Object.keys(b)) && out.length === 0) out.push(`${path}: members in another order`);
    return out;
  }
  out.push(`${path}: template gives ${JSON.stringify(a)?.slice(0, 200)}, the workflow has ${JSON.stringify(b)?.slice(0, 200)}`);
  return out;
}

export async function deriveGroupMembership(repoRoot: string, opts: { check?: boolean; followAdd?: boolean } = {}): Promise<string[]> {
  const sources = await readSources(repoRoot);
  const variantsFile = join(repoRoot, SOURCES_DIR, 'templates', `${TEMPLATE}.variants.json`);
  const variants = JSON.parse(await readFile(variantsFile, 'utf8')) as Record<string, Record<string, Json>>;
  const docs = new Map<string, JsonObject>();
  const problems: string[] = [];
  for (const workflow of VARIANTS) {
    const text = await readFile(join(repoRoot, 'workflows', workflow, 'workflow.json'), 'utf8');
    const owned = fragmentOwned(sources, workflow);
    // An edit inside a fragment's actions would be dropped here (they become markers): refuse it, naming the fragment.
    const asIs = stripGenerated(JSON.parse(text) as JsonObject, []);
    const fromFragments = stripGenerated({ definition: { triggers: {}, actions: Object.fromEntries(owned.map((o) => [o.name, o.generated])) } }, []);
    for (const { at, name, fragment } of owned) {
      const current = resolveActionMap(asIs.definition as JsonObject, at)?.get()[name];
      const expected = ((fromFragments.definition as JsonObject).actions as JsonObject)[name];
      if (current !== undefined && JSON.stringify(current) !== JSON.stringify(expected)) {
        problems.push(`workflows/${workflow} ${at ? `${at}/` : ''}${name}: differs from ${fragmentSource(fragment)}; make that change in the fragment`);
      }
    }
    const doc = stripGenerated(JSON.parse(text) as JsonObject, owned);
    const row = variants[workflow];
    if (!row) throw new Error(`${variantsFile}: no row for ${workflow}`);
    row.graphWriteInputs = findGraphWriteInputs(doc, String(row.graphWrite));
    docs.set(workflow, doc);
  }
  const base = docs.get(VARIANTS[0]) as JsonObject;
  const template = parametrise(base, variants[VARIANTS[0]] as Params);
  // With followAdd, remove-user-from-group need not match: the next build makes it follow the template.
  for (const workflow of opts.followAdd ? VARIANTS.slice(0, 1) : VARIANTS) {
    const expanded = expandPlaceholders(template, variants[workflow] as Params, TEMPLATE);
    for (const diff of firstDifferences(expanded, docs.get(workflow) as Json)) problems.push(`workflows/${workflow}${diff}`);
  }
  if (problems.length === 0 && !opts.check) {
    await writeFile(join(repoRoot, SOURCES_DIR, 'templates', `${TEMPLATE}.json`), `${JSON.stringify(template, null, 2)}\n`);
    await writeFile(variantsFile, `${JSON.stringify(variants, null, 2)}\n`);
  }
  return problems;
}

const invokedDirectly = process.argv[1] !== undefined && /derive-group-membership\.(m?js|ts)$/.test(process.argv[1]);
if (invokedDirectly) {
  deriveGroupMembership(process.cwd(), { check: process.argv.includes('--check'), followAdd: process.argv.includes('--follow-add') })
    .then((problems) => {
      if (problems.length === 0) return console.log(`scripts/workflows/templates/${TEMPLATE}.json reproduces both workflows`);
      console.error(
        `The template was not written. For a difference in remove-user-from-group: make the same change there, extend ${TEMPLATE}.variants.json, ` +
          `or pass --follow-add to let it follow add-user-to-group. For a fragment's action: make the change in the fragment.\n${problems.join('\n')}`,
      );
      process.exitCode = 1;
    })
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exitCode = 1;
    });
}
