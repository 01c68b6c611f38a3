import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Graph knowledge in one place: intent code (lib/intents/**) names what it reads through the request
 * builders of lib/lookups/requests.ts and never spells a Graph path, query option or filter itself, nor
 * builds URLs with lib/graph/path.ts / lib/graph/odata.ts. Only string and template literal text is
 * scanned (comments may describe the Graph call they rely on).
 */
const RAW_GRAPH = [
  /(^|[^A-Za-z0-9_])\/(users|groups|domains|subscribedSkus|roleManagement|directoryRoles|organization|me)(\/|\?|\(|$)/,
  /\/(memberOf|transitiveMemberOf|ownedObjects|manager|mailboxSettings|licenseDetails|assignLicense|revokeSignInSessions)(\/|\?|$)/,
  /\/authentication\//,
  /\$(filter|select|top|count|expand|orderby|search|ref)\b/,
  /proxyAddresses\/any/,
  /graph\.microsoft\.com/,
];
const URL_BUILDERS = /\/graph\/(path|odata)\.js$/;

export function rawGraphFindings(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const findings: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      if (URL_BUILDERS.test(node.moduleSpecifier.text)) findings.push(`${file}: imports ${node.moduleSpecifier.text} (use lib/lookups/requests.ts)`);
      return;
    }
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      const hit = RAW_GRAPH.find((re) => re.test(node.text));
      if (hit) {
        const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
        findings.push(`${file}:${line}: ${JSON.stringify(node.text)}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return findings;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

describe('no raw Graph URLs in lib/intents', () => {
  it('the scan finds raw paths, filters and URL-building imports (so a clean result means something)', () => {
    const sample = [
      "import { userPath } from '../../graph/path.js';",
      'const a = `/users/${id}/memberOf`;',
      "const b = '/groups?x=1';",
      "const c = `mail eq 'x' or proxyAddresses/any(p:p eq 'y')`;",
      "const d = '$filter';",
      '// GET /users/{id}/manager is fine in a comment',
      "const e = 'Add_member_via_Graph';",
    ].join('\n');
    expect(rawGraphFindings('sample.ts', sample)).toEqual([
      'sample.ts: imports ../../graph/path.js (use lib/lookups/requests.ts)',
      'sample.ts:2: "/users/"',
      'sample.ts:2: "/memberOf"',
      'sample.ts:3: "/groups?x=1"',
      'sample.ts:4: "mail eq \'x\' or proxyAddresses/any(p:p eq \'y\')"',
      'sample.ts:5: "$filter"',
    ]);
  });

  it('every plan and intent file reads Graph through lib/lookups/requests.ts', () => {
    const findings = tsFiles('lib/intents').flatMap((file) => rawGraphFindings(file, readFileSync(file, 'utf8')));
    expect(findings).toEqual([]);
  });
});
