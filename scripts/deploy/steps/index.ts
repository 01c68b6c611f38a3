import type { DeployMode } from '../options.js';
import type { Step } from '../context.js';
import { accountStep } from './account.js';
import { helpersAppStep, helpersServicePrincipalStep } from './helpers-app.js';
import { helpersCliAccessStep } from './helpers-cli-access.js';
import { infrastructureStep } from './infrastructure.js';
import { mspAppStep, mspFederatedCredentialStep } from './msp-app.js';
import { onboardingCallerStep } from './onboarding-caller.js';
import { office365Step } from './office365.js';
import { helpersCodeStep, packagesStep, workflowsCodeStep } from './packages.js';
import { permissionsStep } from './permissions.js';
import { resourceGroupStep } from './resource-group.js';
import { runbooksStep } from './runbooks.js';
import { signingKeyStep } from './signing-key.js';
import { webhookStep } from './webhook.js';

/**
 * Every step, in the order they run. Order matters: each step reads what the earlier ones put into the state
 * (subscription → group → app id → key check → Bicep outputs → packages → grants → URL). A new mode adds its own
 * steps here with `modes: ['msp']`, or lists 'msp' on the steps it shares.
 */
export const ALL_STEPS: readonly Step[] = [
  accountStep,
  resourceGroupStep,
  helpersAppStep,
  helpersServicePrincipalStep,
  helpersCliAccessStep,
  mspAppStep,
  signingKeyStep,
  infrastructureStep,
  mspFederatedCredentialStep,
  onboardingCallerStep,
  packagesStep,
  helpersCodeStep,
  workflowsCodeStep,
  runbooksStep,
  permissionsStep,
  office365Step,
  webhookStep,
];

export function stepsFor(mode: DeployMode): Step[] {
  return ALL_STEPS.filter((s) => s.modes.includes(mode));
}
