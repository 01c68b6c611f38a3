import { expect, it } from 'vitest';
import { describeFailures, runPester } from '../../scripts/runbooks/pester-run.js';
import { describeWithTools, findTool } from '../support/tools.js';

/**
 * The runbooks' Pester tests (test/runbooks/*.Tests.ps1) as part of `npm test`: the same run as
 * `npm run test:runbooks`, under real PowerShell with the stub ExchangeOnlineManagement module. Skipped locally
 * without pwsh/Pester (one-line hint), a failure in CI.
 */

/** Fewer tests than this means a test file stopped being discovered (e.g. a BeforeDiscovery error). */
const MINIMUM_TESTS = 85;

describeWithTools('pwsh', 'pester')('runbooks under PowerShell (Pester)', () => {
  it(
    'passes every Pester test',
    async () => {
      const pwsh = findTool('pwsh');
      const run = await runPester(pwsh ? { pwsh } : {});
      expect(run.summary, `Pester did not finish:\n${run.output.slice(-3000)}`).toBeDefined();
      const summary = run.summary!;
      expect(summary.failedContainers, describeFailures(run)).toEqual([]);
      expect(summary.failed, `Failing runbook tests:\n${describeFailures(run)}`).toBe(0);
      expect(summary.total).toBeGreaterThanOrEqual(MINIMUM_TESTS);
      expect(summary.passed).toBe(summary.total - summary.skipped - summary.notRun);
      expect(run.exitCode).toBe(0);
    },
    // Pester itself takes seconds; a busy 2-core CI machine can stretch that.
    300_000,
  );
});
