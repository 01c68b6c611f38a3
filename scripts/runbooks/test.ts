import { describeFailures, PesterMissingError, runPester } from './pester-run.js';

/**
 * `npm run test:runbooks`: the runbooks' Pester tests (test/runbooks/*.Tests.ps1) under real PowerShell, with the
 * stub ExchangeOnlineManagement module. Prints Pester's output and summary; exits 1 when a test fails.
 */
async function main(): Promise<number> {
  try {
    const run = await runPester({ stream: true });
    if (!run.summary) {
      console.error(`Pester did not finish (pwsh exit code ${run.exitCode}).`);
      return 1;
    }
    const s = run.summary;
    const failed = s.failed > 0 || s.failedContainers.length > 0 || run.exitCode !== 0;
    if (failed) console.error(`\nFailing runbook tests:\n${describeFailures(run)}`);
    console.log(`\nRunbook tests: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped of ${s.total} in ${s.durationSeconds} s.`);
    return failed ? 1 : 0;
  } catch (error) {
    if (error instanceof PesterMissingError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
}

process.exitCode = await main();
