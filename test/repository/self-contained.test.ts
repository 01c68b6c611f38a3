import { beforeAll, describe, expect, it } from 'vitest';
import { CITATION_RULES, findPointers, repositoryTextFiles, scanRepository, type Finding } from './citation-rules.js';

/**
 * The repository explains itself (issue 12, item 5): code, comments, docs and test names cite public
 * sources or in-repo documents (docs/*.md, infra/README.md, runbooks/README.md), never notes a reader
 * cannot open. Samples below are assembled from pieces so this file does not trip its own scan.
 */
const SECTION = '\u00a7';
const rulesHit = (line: string): string[] => findPointers('sample.ts', line).map((f) => f.rule);

describe('citation rules', () => {
  it.each([
    [`Standard host defaults (${SECTION}1.2)`, 'section sign'],
    [`RFC 9110 ${SECTION}5.5 forbids CR/LF`, 'section sign'],
    [`which the ${'reference'} system did not`, 'comparison with another system'],
    [`(${'Reference'} Defect ${17})`, 'comparison with another system'],
    [`runs before any claim (defect ${15})`, 'numbered defect pointer'],
    [`takes its default (defects ${11}-${13})`, 'numbered defect pointer'],
    [`(Defect ${36} of the builder)`, 'numbered defect pointer'],
    [`fields (seed-${'behaviour'} notes)`, 'unpublished notes'],
  ])('flags %j (%s)', (line, rule) => {
    expect(rulesHit(line)).toContain(rule);
  });

  it.each([
    'https://www.rfc-editor.org/rfc/rfc9110#section-5.5 forbids CR/LF/NUL in field values',
    'answers each one-defect payload with 400 naming the defect',
    'for (const deref of node.dereferences) value = dereference(value)',
    "Resource 'x' does not exist or one of its queried reference-property objects are not present.",
    'an app setting (Key Vault reference) instead; host.connection.referenceName',
    "import { plan } from '../shared/group-membership/plan.js';",
    'Seeded runs start within the last 80 days (seed 7)',
    'undocumented: observed as 400 Request_BadRequest',
  ])('lets %j pass', (line) => {
    expect(rulesHit(line)).toEqual([]);
  });

  it('finds a phrase wrapped onto the next comment line, at the line where it starts', () => {
    const text = `/**\n * The ${'reference'}\n * system needed three reads.\n */`;
    expect(findPointers('lib/x.ts', text)).toEqual([expect.objectContaining({ line: 2, rule: 'comparison with another system' })]);
  });

  it('reports file and line', () => {
    expect(findPointers('docs/x.md', `ok\nsee ${SECTION}3\n`)).toEqual([{ file: 'docs/x.md', line: 2, rule: 'section sign', text: `see ${SECTION}3` }]);
  });
});

describe('repository text files', () => {
  let findings: Finding[] = [];
  beforeAll(() => {
    findings = scanRepository();
  });

  it('lists source, docs and tests but not dependencies, build output or conformance vectors', () => {
    const files = repositoryTextFiles();
    expect(files).toContain('README.md');
    expect(files).toContain('test/repository/self-contained.test.ts');
    expect(files.some((f) => /^(node_modules|dist|\.tools)\/|^test\/fixtures\/conformance\//.test(f))).toBe(false);
  });

  it.each(CITATION_RULES.map((rule) => [rule.name, rule.fix] as const))('has no %s (instead: %s)', (name) => {
    const hits = findings.filter((f) => f.rule === name).map((f) => `${f.file}:${f.line}: ${f.text}`);
    expect(hits).toEqual([]);
  });
});
