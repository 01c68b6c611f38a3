import { formatCommand } from './command-line.js';
import type { DeployContext, Step, StepOutcome } from './context.js';
import { AzCommandError, DeployProblem, StepFailedError } from './errors.js';

const RERUN = 'then run the same command again: finished steps are skipped.';

/** What to do about an az failure, for the messages az gives most often during a deployment. */
export function hintFor(stderr: string): string {
  if (/az login|az account set|No subscription found|AADSTS700082|refresh token has expired/i.test(stderr)) {
    return "Sign in to the customer's tenant: az login --tenant <tenant>.onmicrosoft.com";
  }
  if (/AuthorizationFailed|does not have authorization to perform/i.test(stderr)) {
    return 'Your account needs Owner on the subscription (it creates resources and role assignments). Ask for the role or sign in as an owner';
  }
  if (/Authorization_RequestDenied|Insufficient privileges/i.test(stderr)) {
    return "App registrations and permission grants need a Global Administrator or Privileged Role Administrator of the customer's tenant. Sign in as one";
  }
  if (/not installed or not on PATH/.test(stderr)) return 'Install the Azure CLI (https://learn.microsoft.com/cli/azure/install-azure-cli)';
  if (/is not in the 'az' command group|misspelled or not recognized/i.test(stderr)) return 'Update the Azure CLI to 2.60 or later (az upgrade)';
  return 'Fix what Azure reports above';
}

function toStepError(step: Step, error: unknown): StepFailedError {
  if (error instanceof StepFailedError) return error;
  if (error instanceof AzCommandError) {
    const command = formatCommand('az', error.args);
    return new StepFailedError(step.title, 'an Azure CLI command failed', `${hintFor(error.stderr)}, ${RERUN}`, command, error.stderr.trim());
  }
  if (error instanceof DeployProblem) {
    const hint = error.hint.replace(/\.$/, '');
    return new StepFailedError(step.title, error.message, /run again|re-run/i.test(hint) ? `${hint}.` : `${hint}, ${RERUN}`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new StepFailedError(step.title, message, `Fix the cause, ${RERUN}`);
}

const MARK: Record<StepOutcome['status'], string> = { changed: 'done', unchanged: 'ok', built: 'built', manual: 'TO DO' };

/** Runs the steps in order; the first failure stops the run with a StepFailedError naming the step. */
export async function runSteps(ctx: DeployContext, steps: readonly Step[]): Promise<StepOutcome[]> {
  const outcomes: StepOutcome[] = [];
  const width = String(steps.length).length;
  for (const [index, step] of steps.entries()) {
    const number = `[${String(index + 1).padStart(width)}/${steps.length}]`;
    if (ctx.run.planning) ctx.io.out(`# ${number} ${step.title}`);
    else ctx.io.out(`${number} ${step.title}`);
    let outcome: StepOutcome;
    try {
      outcome = await step.run(ctx);
    } catch (error) {
      throw toStepError(step, error);
    }
    outcomes.push(outcome);
    if (ctx.run.planning) {
      if (outcome.status === 'manual') ctx.io.out(`manual ${outcome.summary}`);
    } else {
      ctx.io.out(`${' '.repeat(number.length)} ${MARK[outcome.status]}: ${outcome.summary}`);
    }
  }
  return outcomes;
}

export function describeFailure(error: StepFailedError): string[] {
  const lines = [`FAILED: ${error.step}: ${error.reason}`];
  if (error.command) lines.push(`  Command: ${error.command}`);
  if (error.stderr) lines.push(...error.stderr.split('\n').map((l) => `  Azure CLI: ${l}`));
  lines.push(`  What to do: ${error.hint}`);
  return lines;
}
