import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BicepNotInstalledError, findBicep } from '../../scripts/infra/bicep-cli.js';
import { checkInfra, summaryLine, type InfraCheckReport } from '../../scripts/infra/check.js';
import { parseDiagnostics, uniqueDiagnostics } from '../../scripts/infra/diagnostics.js';
import { findSuppressions, withoutSuppressions } from '../../scripts/infra/suppressions.js';
import { describeWithTools } from '../support/tools.js';

// Suppression syntax: https://learn.microsoft.com/azure/azure-resource-manager/bicep/linter#silencing-false-positives
describe('npm run lint:infra: reading the Bicep CLI', () => {
  it('parses the default diagnostics format, paths relative to the checked folder', () => {
    const out = [
      '/repo/infra/modules/logic-app.bicep(30,3) : Warning BCP187: The property "kind" does not exist. [https://aka.ms/bicep/core-diagnostics#BCP187]',
      '/repo/infra/main.bicep(77,17) : Error BCP104: The referenced module has errors.',
      'Some other line the CLI prints',
    ].join('\n');
    expect(parseDiagnostics(out, '/repo/infra')).toEqual([
      { file: 'modules/logic-app.bicep', line: 30, column: 3, level: 'Warning', code: 'BCP187', message: 'The property "kind" does not exist. [https://aka.ms/bicep/core-diagnostics#BCP187]' },
      { file: 'main.bicep', line: 77, column: 17, level: 'Error', code: 'BCP104', message: 'The referenced module has errors.' },
    ]);
  });

  it('reports a finding seen by both build and lint once', () => {
    const d = { file: 'a.bicep', line: 1, column: 1, level: 'Warning' as const, code: 'x', message: 'm' };
    expect(uniqueDiagnostics([d, { ...d }])).toHaveLength(1);
  });

  it('reads the rules and the reason of each #disable-next-line', () => {
    const source = ['#disable-next-line BCP187 no-unused-params // kind V2 is required', '  kind: 1', '  #disable-next-line BCP081', 'x'].join('\n');
    expect(findSuppressions('m.bicep', source)).toEqual([
      { file: 'm.bicep', line: 1, codes: ['BCP187', 'no-unused-params'], reason: 'kind V2 is required', kind: 'next-line' },
      { file: 'm.bicep', line: 3, codes: ['BCP081'], reason: '', kind: 'next-line' },
    ]);
  });

  it("tells the user to run 'npm run tools' when the pinned Bicep CLI is missing", async () => {
    const emptyRoot = await mkdtemp(join(tmpdir(), 'infra-no-tools-'));
    const saved = process.env.BICEP_PATH;
    delete process.env.BICEP_PATH;
    try {
      expect(() => findBicep(emptyRoot)).toThrow(BicepNotInstalledError);
      expect(() => findBicep(emptyRoot)).toThrow(/npm run tools/);
    } finally {
      if (saved !== undefined) process.env.BICEP_PATH = saved;
      await rm(emptyRoot, { recursive: true, force: true });
    }
  });

  it('blanks directive lines but keeps line numbers for the second compile', () => {
    const source = 'a\r\n#disable-next-line X // why\r\nb\n';
    expect(withoutSuppressions(source)).toBe('a\r\n\r\nb\n');
  });
});

describeWithTools('bicep')('npm run lint:infra: what fails', () => {
  let dir: string;
  let report: InfraCheckReport;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'infra-lint-rules-'));
    const files: Record<string, string> = {
      // a suppression without a reason
      'no-reason.bicep': '#disable-next-line no-unused-params\nparam unusedA string\n',
      // a suppression that hides nothing (the parameter is used)
      'stale.bicep': '#disable-next-line no-unused-params // kept for callers\nparam usedB string\noutput b string = usedB\n',
      // a warning nobody explained
      'plain.bicep': 'param unusedC string\n',
      // a suppression with a reason that hides a warning: fine
      'explained.bicep': '#disable-next-line no-unused-params // part of the published parameter list\nparam unusedD string\n',
    };
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    report = await checkInfra({ infraDir: dir });
  }, 300_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('fails on a warning that is not suppressed', () => {
    expect(report.warnings.map((d) => `${d.file}:${d.code}`)).toEqual(['plain.bicep:no-unused-params']);
    expect(report.ok).toBe(false);
  });

  it('fails on a suppression without a reason, and on one that hides nothing', () => {
    expect(report.problems.map((p) => `${p.suppression.file}:${p.problem}`).sort()).toEqual(['no-reason.bicep:no reason', 'stale.bicep:hides nothing']);
  });

  it('counts a suppression with a reason that hides a warning as explained', () => {
    expect(summaryLine(report)).toBe('bicep: 0 errors, 1 warning (1 suppressed with reasons); 2 suppression problems');
  });
});
