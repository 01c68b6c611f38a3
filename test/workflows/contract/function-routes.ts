import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import ts from 'typescript';
import { isRecord, readJson } from './json.js';
import type { ContractProblem } from './problem.js';

/**
 * Reads the helper routes straight from lib/functions/*.ts source with the TypeScript parser:
 * every `app.http(name, options)` (and app.get/post/...) call, with `options` either inline or a
 * const in the same file. Reading the source instead of importing it keeps the contract test pure
 * and fast, and a file another engineer is still editing cannot crash it.
 */
export interface RegisteredRoute {
  /** e.g. "lib/functions/health.ts" */
  file: string;
  functionName: string;
  /** As registered, without the route prefix: "intents/{intent}/plan". */
  route: string;
  /** Upper case. */
  methods: string[];
}

export interface FunctionScan {
  routePrefix: string;
  routes: RegisteredRoute[];
  /** Registrations that cannot be read statically, and files index.ts does not load. */
  problems: ContractProblem[];
}

const FUNCTIONS_DIR = 'lib/functions';
/** @azure/functions applies GET and POST when an http registration names no methods. */
const DEFAULT_METHODS = ['GET', 'POST'];
const SHORTHAND_METHODS: Record<string, string> = { get: 'GET', post: 'POST', put: 'PUT', patch: 'PATCH', deleteRequest: 'DELETE' };

function unwrap(node: ts.Expression): ts.Expression {
  let current = node;
  while (ts.isAsExpression(current) || ts.isSatisfiesExpression(current) || ts.isParenthesizedExpression(current) || ts.isTypeAssertionExpression(current)) {
    current = current.expression;
  }
  return current;
}

function literalText(node: ts.Expression | undefined): string | undefined {
  if (node === undefined) return undefined;
  const n = unwrap(node);
  return ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) ? n.text : undefined;
}

function propertyValue(obj: ts.ObjectLiteralExpression, key: string): ts.Expression | undefined {
  for (const p of obj.properties) {
    if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === key) return p.initializer;
  }
  return undefined;
}

function constObjects(source: ts.SourceFile): Map<string, ts.ObjectLiteralExpression> {
  const found = new Map<string, ts.ObjectLiteralExpression>();
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      const init = unwrap(node.initializer);
      if (ts.isObjectLiteralExpression(init)) found.set(node.name.text, init);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function scanFile(rel: string, text: string, problems: ContractProblem[]): RegisteredRoute[] {
  const source = ts.createSourceFile(rel, text, ts.ScriptTarget.Latest, true);
  const objects = constObjects(source);
  const routes: RegisteredRoute[] = [];
  const report = (message: string): void => {
    problems.push({ file: rel, rule: 'function-registration', message });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ts.isIdentifier(node.expression.expression) && node.expression.expression.text === 'app') {
      const kind = node.expression.name.text;
      if (kind === 'http' || kind in SHORTHAND_METHODS) {
        const functionName = literalText(node.arguments[0]) ?? '<non-literal name>';
        const arg = node.arguments[1] === undefined ? undefined : unwrap(node.arguments[1]);
        const options = arg && ts.isIdentifier(arg) ? objects.get(arg.text) : arg && ts.isObjectLiteralExpression(arg) ? arg : undefined;
        if (!options) {
          report(`app.${kind}('${functionName}', ...): options must be an object literal or a const object in the same file so the route can be checked`);
        } else {
          const routeNode = propertyValue(options, 'route');
          const route = routeNode === undefined ? functionName : literalText(routeNode);
          const methodsNode = propertyValue(options, 'methods');
          const methodsArray = methodsNode === undefined ? undefined : unwrap(methodsNode);
          let methods: string[] | undefined = SHORTHAND_METHODS[kind] !== undefined ? [SHORTHAND_METHODS[kind]] : DEFAULT_METHODS;
          if (methodsArray !== undefined) {
            const texts = ts.isArrayLiteralExpression(methodsArray) ? methodsArray.elements.map((e) => literalText(e)) : [undefined];
            methods = texts.every((t): t is string => t !== undefined) ? texts.map((t) => t.toUpperCase()) : undefined;
          }
          if (route === undefined) report(`'${functionName}': route is not a string literal`);
          if (methods === undefined) report(`'${functionName}': methods is not an array of string literals`);
          if (route !== undefined && methods !== undefined) routes.push({ file: rel, functionName, route, methods });
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return routes;
}

/** Files lib/functions/index.ts loads (export-from or import), as file names ("health.ts"). */
function filesLoadedByIndex(text: string): Set<string> {
  const source = ts.createSourceFile('index.ts', text, ts.ScriptTarget.Latest, true);
  const loaded = new Set<string>();
  for (const statement of source.statements) {
    const spec = (ts.isExportDeclaration(statement) || ts.isImportDeclaration(statement)) && statement.moduleSpecifier ? literalText(statement.moduleSpecifier) : undefined;
    if (spec?.startsWith('./')) loaded.add(spec.slice(2).replace(/\.js$/, '.ts'));
  }
  return loaded;
}

/**
 * Files outside lib/functions that index.ts loads (`export * from '../intents/<id>/function.js'`: each
 * intent's entry point lives in its own folder), as repo-relative paths ("lib/intents/mfa-reset/function.ts").
 */
function filesOutsideLoadedByIndex(text: string): string[] {
  const source = ts.createSourceFile('index.ts', text, ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  for (const statement of source.statements) {
    const spec = (ts.isExportDeclaration(statement) || ts.isImportDeclaration(statement)) && statement.moduleSpecifier ? literalText(statement.moduleSpecifier) : undefined;
    if (spec?.startsWith('../')) out.push(posix.normalize(posix.join(FUNCTIONS_DIR, spec)).replace(/\.js$/, '.ts'));
  }
  return out;
}

function readRoutePrefix(root: string): string {
  try {
    const host = readJson(join(root, FUNCTIONS_DIR, 'host.json'));
    const http = isRecord(host) && isRecord(host.extensions) && isRecord(host.extensions.http) ? host.extensions.http : undefined;
    if (http && typeof http.routePrefix === 'string') return http.routePrefix;
  } catch {
    // no host.json: the Functions default applies
  }
  return 'api';
}

export function scanFunctionRegistrations(root: string): FunctionScan {
  const problems: ContractProblem[] = [];
  const routes: RegisteredRoute[] = [];
  const dir = join(root, FUNCTIONS_DIR);
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort();
  const indexText = files.includes('index.ts') ? readFileSync(join(dir, 'index.ts'), 'utf8') : '';
  const loaded = filesLoadedByIndex(indexText);
  for (const file of files) {
    const rel = `${FUNCTIONS_DIR}/${file}`;
    const found = scanFile(rel, readFileSync(join(dir, file), 'utf8'), problems);
    routes.push(...found);
    if (found.length > 0 && file !== 'index.ts' && !loaded.has(file)) {
      problems.push({
        file: rel,
        rule: 'functions-index',
        message: `registers ${found.map((r) => `'${r.route}'`).join(', ')} but ${FUNCTIONS_DIR}/index.ts does not load it, so the deployed helpers app would not serve it`,
      });
    }
  }
  for (const rel of filesOutsideLoadedByIndex(indexText)) {
    if (existsSync(join(root, rel))) routes.push(...scanFile(rel, readFileSync(join(root, rel), 'utf8'), problems));
  }
  return { routePrefix: readRoutePrefix(root), routes, problems };
}
