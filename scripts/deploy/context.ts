import type { DeployMode, DeployOptions } from './options.js';
import type { Runner } from './runner.js';

/**
 * What the steps share. `state` fills up as the steps run: later steps read what earlier ones found or created
 * (in --plan the values are <placeholders>).
 */
export interface BicepOutputs {
  logicAppName: string;
  logicAppPrincipalId: string;
  helpersName: string;
  helpersPrincipalId: string;
  automationAccountName: string;
  automationPrincipalId: string;
  keyVaultName: string;
  office365ConnectionName: string;
  runtimeEnvironmentName: string;
  runbookNames: string[];
  /** msp mode only: the user-assigned identity that is the multi-tenant app's credential (infra/README.md, "msp mode"). */
  mspIdentityClientId?: string;
  mspIdentityPrincipalId?: string;
}

/** An ARM deployment as `az deployment group list/create` answer it (the parts the steps read). */
export interface Deployment {
  name: string;
  properties?: {
    provisioningState?: string;
    timestamp?: string;
    parameters?: Record<string, { value?: unknown }>;
    outputs?: Record<string, { value?: unknown }>;
  };
}

export interface PackageFile {
  /** Relative to the project root, as passed to az (`--src dist/functions.zip`). */
  path: string;
  sha256: string;
}

export interface DeployState {
  subscriptionId: string;
  tenantId: string;
  resourceGroupId: string;
  /** The resource group's tags as read at the start (they record which packages the apps run). */
  resourceGroupTags: Record<string, string>;
  /** Deployments already in the resource group (`az deployment group list`), read once by the resource group step. */
  deployments: Deployment[];
  helpersAppId: string;
  /** msp mode: the multi-tenant app registration customer tenants consent to. */
  mspAppId: string;
  signingKeyExists: boolean;
  /** True when this run (re)applied the Bicep deployment: the packages are then deployed again whatever the tags say. */
  bicepApplied: boolean;
  outputs: BicepOutputs;
  helpersPackage: PackageFile;
  logicAppPackage: PackageFile;
  /** Printed at the end, never written anywhere. */
  webhookUrl: string;
  manualSteps: string[];
}

export interface DeployIO {
  /** A line for the technician (stdout). */
  out(line: string): void;
  /** Asks a yes/no question; false when the answer is not yes. Only called when --yes is absent. */
  confirm(question: string): Promise<boolean>;
}

export interface LocalTools {
  /** Builds dist/functions and dist/logicapp (what `npm run pack` does). */
  pack(): Promise<void>;
}

export interface DeployContext {
  options: DeployOptions;
  run: Runner;
  /** Project root: infra/, runbooks/, workflows/, dist/. */
  root: string;
  state: Partial<DeployState>;
  io: DeployIO;
  local: LocalTools;
  /** Waits between polls/retries; tests pass one that returns at once. */
  sleep(ms: number): Promise<void>;
}

export type StepStatus = 'changed' | 'unchanged' | 'built' | 'manual';

export interface StepOutcome {
  status: StepStatus;
  /** One line for the technician: what was found or done. */
  summary: string;
}

/**
 * One step of a deployment. The list of steps is data (steps/index.ts): a later mode (MSP) adds or swaps steps,
 * and --plan, the runner and the tests all walk the same list.
 */
export interface Step {
  id: string;
  /** What a technician reads: names the thing being made right, not the command. */
  title: string;
  modes: readonly DeployMode[];
  /** Checks the current state, applies what is missing or different, and says which it was. */
  run(ctx: DeployContext): Promise<StepOutcome>;
}

/** A value an earlier step put into the state; a missing one is a bug in the step order, not the technician's fault. */
export function need<K extends keyof DeployState>(ctx: DeployContext, key: K): DeployState[K] {
  const value = ctx.state[key];
  if (value === undefined) throw new Error(`internal: step order: '${key}' is read before any step sets it`);
  return value as DeployState[K];
}

/** `--subscription <id>` for every ARM command, so the CLI's default subscription never decides where things go. */
export function subscriptionArgs(ctx: DeployContext): string[] {
  return ['--subscription', need(ctx, 'subscriptionId')];
}

export function resourceGroupPath(ctx: DeployContext): string {
  return `/subscriptions/${need(ctx, 'subscriptionId')}/resourceGroups/${ctx.options.resourceGroup}`;
}
