import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { DeployProblem } from '../errors.js';
import { need, subscriptionArgs, type BicepOutputs, type Deployment, type DeployContext, type Step } from '../context.js';
import { localRunbookNames } from './runbooks.js';
import { formatWhatIf, predictsChanges } from './what-if.js';

export const TEMPLATE = 'infra/main.bicep';
export const DEPLOYMENT_PREFIX = 'thread-intent-runner-';

type ParamValue = string | boolean | string[];

/** Settings the technician may leave out on a re-run: the last deployment's value is kept, never reset. */
const KEPT_SETTINGS = ['allowedCallerIps', 'allowExternalForwarding', 'protectedGroups', 'defaultUsageLocation', 'helpersLocation'] as const;

export function latestOwnDeployment(deployments: Deployment[]): Deployment | undefined {
  return deployments
    .filter((d) => d.name.startsWith(DEPLOYMENT_PREFIX) && d.properties?.provisioningState === 'Succeeded')
    .sort((a, b) => (a.properties?.timestamp ?? '').localeCompare(b.properties?.timestamp ?? ''))
    .at(-1);
}

export function bicepParameters(ctx: DeployContext, previous: Deployment | undefined): Record<string, ParamValue> {
  const o = ctx.options;
  const given: Partial<Record<(typeof KEPT_SETTINGS)[number], ParamValue>> = {
    ...(o.allowedCallerIps !== undefined ? { allowedCallerIps: o.allowedCallerIps } : {}),
    ...(o.allowExternalForwarding !== undefined ? { allowExternalForwarding: o.allowExternalForwarding } : {}),
    ...(o.protectedGroups !== undefined ? { protectedGroups: o.protectedGroups } : {}),
    ...(o.defaultUsageLocation !== undefined ? { defaultUsageLocation: o.defaultUsageLocation } : {}),
    ...(o.helpersLocation !== undefined ? { helpersLocation: o.helpersLocation } : {}),
  };
  const params: Record<string, ParamValue> = {
    baseName: o.baseName,
    location: o.location,
    notificationEmail: o.notificationEmail,
    exchangeOrganization: o.exchangeOrganization,
    helpersAppClientId: need(ctx, 'helpersAppId'),
  };
  // Only in msp mode, so a customer-mode deployment keeps its name (hash of the parameters) and is not re-applied.
  if (o.mode === 'msp') {
    params.deploymentMode = 'msp';
    params.mspAppClientId = need(ctx, 'mspAppId');
  }
  for (const key of KEPT_SETTINGS) {
    const value = given[key] ?? (previous?.properties?.parameters?.[key]?.value as ParamValue | undefined);
    if (value !== undefined) params[key] = value;
  }
  return params;
}

async function infraFiles(root: string, dir = join(root, 'infra')): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await infraFiles(root, path)));
    // The manifest is read by the permissions step, not by Bicep: editing it must not redeploy the resources.
    else if (!entry.name.endsWith('.md') && entry.name !== 'permissions.json') out.push(path);
  }
  return out.sort();
}

/**
 * The deployment's name carries a hash of everything that decides its result (the files under infra/ and the
 * parameters), so "a deployment of this name succeeded" means "Azure already has exactly this" and a re-run skips
 * it. createStatusSigningKey and logicAppExists are left out: they only say whether the key and the Logic App exist
 * yet, which the skip rule checks itself.
 */
export async function deploymentName(root: string, params: Record<string, ParamValue>): Promise<string> {
  const hash = createHash('sha256');
  for (const file of await infraFiles(root)) {
    hash.update(relative(root, file).split(sep).join('/')).update('\0').update(await readFile(file)).update('\0');
  }
  hash.update(JSON.stringify(Object.entries(params).sort(([a], [b]) => a.localeCompare(b))));
  return `${DEPLOYMENT_PREFIX}${hash.digest('hex').slice(0, 16)}`;
}

/** `name=value` as az deployment expects: arrays and booleans as JSON (parsed by the parameter's declared type). */
function parameterArgs(params: Record<string, ParamValue>): string[] {
  return Object.entries(params).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
}

const STRING_OUTPUTS = [
  'logicAppName',
  'logicAppPrincipalId',
  'helpersName',
  'helpersPrincipalId',
  'automationAccountName',
  'automationPrincipalId',
  'keyVaultName',
  'office365ConnectionName',
  'runtimeEnvironmentName',
] as const;

const MSP_OUTPUTS = ['mspIdentityClientId', 'mspIdentityPrincipalId'] as const;

export function readOutputs(deployment: Deployment, mode: 'customer' | 'msp' = 'customer'): BicepOutputs {
  const outputs = deployment.properties?.outputs ?? {};
  const missing: string[] = [];
  const value = (key: string): unknown => {
    const v = outputs[key]?.value;
    if (v === undefined) missing.push(key);
    return v;
  };
  const result = Object.fromEntries(STRING_OUTPUTS.map((k) => [k, String(value(k) ?? '')])) as unknown as BicepOutputs;
  const runbooks = value('runbookNames');
  result.runbookNames = Array.isArray(runbooks) ? runbooks.map(String) : [];
  if (mode === 'msp') for (const k of MSP_OUTPUTS) result[k] = String(value(k) ?? '');
  if (missing.length > 0) {
    throw new DeployProblem(
      `The deployment ${deployment.name} has no output ${missing.join(', ')}: ${TEMPLATE} and the deploy command disagree.`,
      `Update ${TEMPLATE} (see infra/README.md "Outputs")`,
    );
  }
  return result;
}

/**
 * Whether the Logic App of this customer already exists. infra/main.bicep sends the Logic App's settings with the
 * site only when it does not (the site's content share is created with them); on an existing site a settings list
 * there would replace every setting, so with logicAppExists=true they are only merged (infra/README.md, "App
 * settings: merged, never replaced"). The site's name carries a suffix only Bicep computes, so it is found by prefix.
 */
async function logicAppExists(ctx: DeployContext): Promise<boolean> {
  const sites = (await ctx.run.check(
    ['resource', 'list', '--resource-group', ctx.options.resourceGroup, '--resource-type', 'Microsoft.Web/sites', ...subscriptionArgs(ctx)],
    { plan: [] },
  )) as Array<{ name?: string }>;
  const prefix = `logic-${ctx.options.baseName.toLowerCase()}-`;
  return sites.some((s) => (s.name ?? '').toLowerCase().startsWith(prefix));
}

function planDeployment(ctx: DeployContext, runbookNames: string[]): Deployment {
  const outputs: Record<string, { value: unknown }> = Object.fromEntries(STRING_OUTPUTS.map((k) => [k, { value: `<${k}>` }]));
  outputs.runbookNames = { value: runbookNames };
  if (ctx.options.mode === 'msp') for (const k of MSP_OUTPUTS) outputs[k] = { value: `<${k}>` };
  return { name: '<deployment>', properties: { provisioningState: 'Succeeded', outputs } };
}

/**
 * The Azure resources of infra/main.bicep. A deployment is declarative: applying it again converges on the same
 * resources. It is still skipped when the identical deployment already succeeded, so a re-run touches nothing.
 */
export const infrastructureStep: Step = {
  id: 'infrastructure',
  title: `Azure resources (${TEMPLATE})`,
  modes: ['customer', 'msp'],
  async run(ctx) {
    const { run, options } = ctx;
    const rg = ['--resource-group', options.resourceGroup, ...subscriptionArgs(ctx)];
    const deployments = need(ctx, 'deployments');
    const previous = latestOwnDeployment(deployments);
    const params = bicepParameters(ctx, previous);
    const name = await deploymentName(ctx.root, params);
    const keyExists = need(ctx, 'signingKeyExists');
    const siteExists = await logicAppExists(ctx);
    const same = deployments.find((d) => d.name === name && d.properties?.provisioningState === 'Succeeded');
    if (same && keyExists && siteExists && !options.whatIf) {
      ctx.state.outputs = readOutputs(same, options.mode);
      ctx.state.bicepApplied = false;
      return { status: 'unchanged', summary: `deployment ${name} already applied with these settings` };
    }
    const args = [
      ...['--name', name, ...rg, '--template-file', TEMPLATE, '--parameters', ...parameterArgs(params)],
      `createStatusSigningKey=${String(!keyExists)}`,
      `logicAppExists=${String(siteExists)}`,
    ];
    if (options.whatIf) {
      const report = await run.check(['deployment', 'group', 'what-if', ...args, '--no-pretty-print'], { plan: {} });
      if (!run.planning) {
        for (const line of formatWhatIf(report)) ctx.io.out(line);
        // With --what-if a deployment already applied is re-applied only when Azure predicts changes: that is how
        // a setting changed by hand in the portal gets put back.
        if (same && keyExists && siteExists && !predictsChanges(report)) {
          ctx.state.outputs = readOutputs(same, options.mode);
          ctx.state.bicepApplied = false;
          return { status: 'unchanged', summary: `deployment ${name} already applied with these settings; what-if predicts no change` };
        }
        if (!options.yes && !(await ctx.io.confirm('Apply these changes?'))) {
          throw new DeployProblem('Stopped after what-if: not confirmed.', 'Nothing after this step ran. Run again and answer y, or add --yes.');
        }
      }
    }
    const plan = planDeployment(ctx, await localRunbookNames(ctx.root));
    const deployment = (await run.apply(['deployment', 'group', 'create', ...args], { plan })) as Deployment;
    ctx.state.outputs = readOutputs(deployment, options.mode);
    ctx.state.bicepApplied = true;
    return { status: 'changed', summary: `deployment ${name} applied` };
  },
};
