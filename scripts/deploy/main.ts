import { AzCliRunner } from './az-cli.js';
import type { DeployContext, DeployIO, LocalTools } from './context.js';
import { InputError, StepFailedError } from './errors.js';
import { parseOptions, usage, wantsHelp } from './options.js';
import { PlanRunner } from './plan-runner.js';
import { describeFailure, runSteps } from './run-steps.js';
import { stepsFor } from './steps/index.js';

export interface DeployDependencies {
  /** Project root (infra/, runbooks/, workflows/, dist/). */
  root: string;
  io: DeployIO;
  local: LocalTools;
  /** Environment for az (tests put a recording stand-in first on PATH). */
  env?: NodeJS.ProcessEnv;
  sleep?: (ms: number) => Promise<void>;
  err?: (line: string) => void;
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** `npm run deploy -- …`: returns the process exit code (0 done, 1 a step failed, 2 the command line is wrong). */
export async function deploy(argv: readonly string[], deps: DeployDependencies): Promise<number> {
  const { io } = deps;
  const err = deps.err ?? io.out;
  if (wantsHelp(argv)) {
    io.out(usage());
    return 0;
  }
  let options;
  try {
    options = parseOptions(argv);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    for (const problem of error.problems) err(`Error: ${problem}`);
    err(`Nothing was changed. Run 'npm run deploy -- --help' for all options.`);
    return 2;
  }
  const steps = stepsFor(options.mode);
  const run = options.plan
    ? new PlanRunner((line) => io.out(line))
    : new AzCliRunner({ cwd: deps.root, ...(deps.env ? { env: deps.env } : {}), ...(options.verbose ? { onCommand: (kind, line) => io.out(`    ${kind}: ${line}`) } : {}) });
  const ctx: DeployContext = { options, run, root: deps.root, state: {}, io, local: deps.local, sleep: deps.sleep ?? realSleep };

  io.out(
    options.plan
      ? `# Plan for "${options.customer}"${options.mode === 'msp' ? ' (msp mode: one deployment for many customer tenants)' : ''} (short name ${options.baseName}), resource group ${options.resourceGroup} in ${options.location}. ` +
          `Nothing runs. check = reads Azure, apply = changes Azure, local = this machine, manual = for you. <name> = known when it runs.`
      : `Deploying "${options.customer}"${options.mode === 'msp' ? ' in msp mode' : ''} (short name ${options.baseName}) to resource group ${options.resourceGroup} in ${options.location}: ${steps.length} steps.`,
  );
  try {
    const outcomes = await runSteps(ctx, steps);
    if (options.plan) return 0;
    const changed = outcomes.filter((o) => o.status === 'changed').length;
    io.out('');
    io.out(changed === 0 ? 'Everything was already in place; nothing changed.' : `Done: ${changed} of ${steps.length} steps changed something.`);
    for (const step of ctx.state.manualSteps ?? []) io.out(`Still to do by hand: ${step}`);
    if (options.mode === 'msp') io.out('Next: onboard each customer with npm run customer:add -- --resource-group ' + options.resourceGroup + ' --name "<customer>" --tenant <domain or tenant id>.');
    if (ctx.state.webhookUrl) {
      io.out('');
      io.out("Webhook URL for Thread (paste it into Thread's webhook settings; it works like a password, so do not put it in tickets or chat):");
      io.out(ctx.state.webhookUrl);
    }
    return 0;
  } catch (error) {
    if (!(error instanceof StepFailedError)) throw error;
    io.out('');
    for (const line of describeFailure(error)) err(line);
    return 1;
  }
}
