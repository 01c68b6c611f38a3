import { BicepNotInstalledError } from './bicep-cli.js';
import { checkInfra, summaryLine, type SuppressionProblem } from './check.js';
import { formatDiagnostic } from './diagnostics.js';

/**
 * `npm run lint:infra`: the pinned Bicep compiler and linter over infra/ (see check.ts for the rules). Prints
 * every finding and a summary line; exits 1 when anything fails, 2 when Bicep is not installed.
 */
const PROBLEM_TEXT: Record<SuppressionProblem['problem'], string> = {
  'no reason': 'suppression without a reason: add "// <why>" after the rule on the same line',
  'hides nothing': 'suppression that hides nothing: remove it',
  'hides an error': 'suppression of an error: errors must be fixed, not hidden',
  'block directive': '#disable-diagnostics is not allowed: use #disable-next-line <rule> // <why>',
};

async function main(): Promise<number> {
  let report;
  try {
    report = await checkInfra();
  } catch (err) {
    if (err instanceof BicepNotInstalledError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
  for (const d of [...report.errors, ...report.warnings, ...report.infos]) console.log(formatDiagnostic(d));
  for (const { suppression: s, problem } of report.problems) {
    console.log(`${s.file}(${s.line},1) : Error suppression: ${PROBLEM_TEXT[problem]} (#disable-next-line ${s.codes.join(' ')})`);
  }
  for (const s of report.suppressions) {
    if (s.reason && s.hides.length > 0) console.log(`${s.file}(${s.line + 1}) : suppressed ${s.hides.map((d) => d.code).join(', ')}: ${s.reason}`);
  }
  console.log(summaryLine(report));
  return report.ok ? 0 : 1;
}

process.exitCode = await main();
