import { existsSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

/**
 * `npm run build:inline`: compiles each lib/inline module into the JavaScriptCode actions that name it
 * (`metadata.inlineSource`). Logic Apps runs inline code as a plain JavaScript function body with no
 * modules and no require, at most 100,000 characters (logic-apps-standard.md §2.1), so each module is
 * bundled into one IIFE whose `main(workflowContext)` result is returned. `--check` only reports drift
 * (CI and test/workflows/inline-code.test.ts use the same comparison).
 */
export const INLINE_CODE_LIMIT = 100_000;
const GLOBAL_NAME = '__inline';

export interface CompiledInline {
  code: string;
  explicitDependencies: { actions: string[]; includeTrigger: boolean };
}

export interface InlineDrift {
  workflow: string;
  action: string;
  source: string;
}

interface InlineAction {
  workflow: string;
  name: string;
  action: Record<string, unknown>;
  source: string;
}

/** Bundles one module and reads its `dependsOn` by evaluating the bundle (pure code, no side effects). */
export async function compileInlineModule(repoRoot: string, source: string): Promise<CompiledInline> {
  const result = await build({
    entryPoints: [resolve(repoRoot, source)],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: GLOBAL_NAME,
    platform: 'neutral',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    charset: 'ascii',
    logLevel: 'silent',
  });
  const bundle = result.outputFiles[0]?.text;
  if (bundle === undefined) throw new Error(`${source}: esbuild produced no output`);
  if (/\brequire\s*\(/.test(bundle) || /\bimport\s*\(/.test(bundle)) {
    throw new Error(`${source}: the bundle still needs require()/import(); inline code must be self-contained`);
  }
  const exports = new Function(`${bundle};return ${GLOBAL_NAME};`)() as Record<string, unknown>;
  if (typeof exports.main !== 'function') throw new Error(`${source}: must export main(context)`);
  const deps = exports.dependsOn as { actions?: unknown; includeTrigger?: unknown } | undefined;
  const actions = Array.isArray(deps?.actions) ? deps.actions.filter((a): a is string => typeof a === 'string') : [];
  // The runtime evaluates @-expressions inside `code` before running it; no '@' may survive in the text.
  // Minified JavaScript can only hold '@' inside string/regex/template literals, where \u0040 means the same.
  const code = `${bundle.trim()}\nreturn ${GLOBAL_NAME}.main(workflowContext);`.replace(/@/g, '\\u0040');
  if (code.length > INLINE_CODE_LIMIT) {
    throw new Error(`${source}: compiled inline code is ${code.length} characters; Logic Apps allows ${INLINE_CODE_LIMIT}`);
  }
  return { code, explicitDependencies: { actions, includeTrigger: deps?.includeTrigger === true } };
}

function collectInlineActions(workflow: string, actions: unknown, out: InlineAction[]): void {
  if (typeof actions !== 'object' || actions === null) return;
  for (const [name, value] of Object.entries(actions as Record<string, unknown>)) {
    if (typeof value !== 'object' || value === null) continue;
    const action = value as Record<string, unknown>;
    const metadata = action.metadata as { inlineSource?: unknown } | undefined;
    if (action.type === 'JavaScriptCode' && typeof metadata?.inlineSource === 'string') {
      out.push({ workflow, name, action, source: metadata.inlineSource });
    }
    collectInlineActions(workflow, action.actions, out);
    collectInlineActions(workflow, (action.else as { actions?: unknown } | undefined)?.actions, out);
    collectInlineActions(workflow, (action.default as { actions?: unknown } | undefined)?.actions, out);
    const cases = action.cases as Record<string, { actions?: unknown }> | undefined;
    if (cases) for (const c of Object.values(cases)) collectInlineActions(workflow, c.actions, out);
  }
}

async function workflowFiles(repoRoot: string): Promise<Array<{ name: string; file: string }>> {
  const dir = join(repoRoot, 'workflows');
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory()).map((e) => ({ name: e.name, file: join(dir, e.name, 'workflow.json') }));
}

/** Compiles every marked action; writes the workflows unless `check`. Returns the actions that were out of date. */
export async function buildInline(repoRoot: string, opts: { check?: boolean; workflows?: readonly string[] } = {}): Promise<InlineDrift[]> {
  const drift: InlineDrift[] = [];
  const cache = new Map<string, CompiledInline | Error>();
  // One broken or missing module must not stop the others from being built; all problems are reported at the end.
  const problems: string[] = [];
  for (const { name, file } of await workflowFiles(repoRoot)) {
    if (opts.workflows && !opts.workflows.includes(name)) continue;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      continue;
    }
    const doc = JSON.parse(text) as { definition?: { actions?: unknown } };
    const found: InlineAction[] = [];
    collectInlineActions(name, doc.definition?.actions, found);
    if (found.length === 0) continue;
    for (const item of found) {
      let compiled = cache.get(item.source);
      if (!compiled) {
        compiled = existsSync(resolve(repoRoot, item.source))
          ? await compileInlineModule(repoRoot, item.source).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))))
          : new Error(`inline source ${item.source} does not exist`);
        cache.set(item.source, compiled);
      }
      if (compiled instanceof Error) {
        problems.push(`workflows/${item.workflow} ${item.name}: ${compiled.message}`);
        continue;
      }
      const inputs = (item.action.inputs ?? {}) as Record<string, unknown>;
      const same =
        inputs.code === compiled.code && JSON.stringify(inputs.explicitDependencies) === JSON.stringify(compiled.explicitDependencies);
      if (!same) drift.push({ workflow: item.workflow, action: item.name, source: item.source });
      item.action.inputs = { ...inputs, code: compiled.code, explicitDependencies: compiled.explicitDependencies };
    }
    if (!opts.check) {
      const updated = `${JSON.stringify(doc, null, 2)}\n`;
      if (updated !== text) await writeFile(file, updated);
    }
  }
  if (problems.length > 0) throw new Error(`Inline code could not be built:\n${problems.join('\n')}`);
  return drift;
}

const invokedDirectly = process.argv[1] !== undefined && /build-inline\.(m?js|ts)$/.test(process.argv[1]);
if (invokedDirectly) {
  const check = process.argv.includes('--check');
  // `--workflow <name>` (repeatable) limits the run to some workflows, e.g. while others are mid-edit.
  const workflows = process.argv.flatMap((arg, i) => (arg === '--workflow' && process.argv[i + 1] ? [process.argv[i + 1] as string] : []));
  buildInline(process.cwd(), { check, ...(workflows.length ? { workflows } : {}) })
    .then((drift) => {
      for (const d of drift) {
        console.log(`${check ? 'out of date' : 'updated'}: workflows/${d.workflow} ${d.action} <- ${d.source}`);
      }
      if (check && drift.length > 0) {
        console.error('Inline code is out of date: run npm run build:inline');
        process.exitCode = 1;
      }
    })
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exitCode = 1;
    });
}
