import { AzCliRunner } from '../deploy/az-cli.js';
import { AzCommandError, DeployProblem, InputError } from '../deploy/errors.js';
import { formatCommand } from '../deploy/command-line.js';
import { loadManifest } from '../deploy/manifest.js';
import type { Runner } from '../deploy/runner.js';
import { baseNameFor } from '../deploy/options.js';
import { hintFor } from '../deploy/run-steps.js';
import { directoryRolesForMsp, requiredResourceAccess } from '../deploy/steps/msp-app.js';
import { routerTriggerName, callbackUrlFor } from '../deploy/steps/webhook.js';
import { adminConsentUrl, removalInstructions, roleAssignmentInstructions } from './admin-steps.js';
import { findMspDeployment, type MspDeployment } from './deployment.js';
import { parseCustomerOptions, customerUsage, type CustomerCommand, type CustomerOptions } from './options.js';
import { CustomerRegistry, type CustomerRow } from './registry.js';
import { resolveTenant, resolveTenantOnline, type TenantResolver } from './tenant.js';
import { verifyThroughHelpers, type VerifyTenant } from './verification.js';
import { customerWebhookUrl, newWebhookKey } from './webhook-key.js';

export interface CustomerDependencies {
  root: string;
  out(line: string): void;
  err?(line: string): void;
  env?: NodeJS.ProcessEnv;
  /** Tests pass a runner over the fake az; default: the real az. */
  run?: Runner;
  resolveTenant?: TenantResolver;
  verify?: VerifyTenant;
  /** Shows the consent URL and returns once the admin says it is done (default: wait for Enter). */
  waitForConsent(url: string): Promise<void>;
  now?: () => Date;
}

/** `npm run customer:add|remove|list -- …`: 0 done, 1 something to fix (nothing half-written), 2 command line wrong. */
export async function customers(command: CustomerCommand, argv: readonly string[], deps: CustomerDependencies): Promise<number> {
  const err = deps.err ?? deps.out;
  if (argv.includes('--help') || argv.includes('-h')) {
    deps.out(customerUsage(command));
    return 0;
  }
  let options: CustomerOptions;
  try {
    options = parseCustomerOptions(command, argv);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    for (const p of error.problems) err(`Error: ${p}`);
    return 2;
  }
  const run = deps.run ?? new AzCliRunner({ cwd: deps.root, ...(deps.env ? { env: deps.env } : {}) });
  try {
    const deployment = await findMspDeployment(run, options.resourceGroup, options.subscription);
    const registry = new CustomerRegistry(run, deployment.storageAccountName);
    if (command === 'list') return await list(registry, deps);
    if (command === 'remove') return await remove(options, deployment, registry, deps);
    return await add(options, deployment, registry, run, deps);
  } catch (error) {
    if (error instanceof DeployProblem) {
      err(`FAILED: ${error.message}`);
      err(`  What to do: ${error.hint.replace(/\.$/, '')}.`);
      return 1;
    }
    if (error instanceof AzCommandError) {
      err(`FAILED: an Azure CLI command failed.`);
      err(`  Command: ${formatCommand('az', error.args)}`);
      for (const l of error.stderr.trim().split('\n')) err(`  Azure CLI: ${l}`);
      err(`  What to do: ${hintFor(error.stderr)}, then run the same command again.`);
      return 1;
    }
    throw error;
  }
}

async function list(registry: CustomerRegistry, deps: CustomerDependencies): Promise<number> {
  const rows = await registry.list();
  if (rows.length === 0) {
    deps.out('No customers yet. Add one: npm run customer:add -- --resource-group <rg> --name "<customer>" --tenant <domain or tenant id>');
    return 0;
  }
  const table = [['ID', 'NAME', 'TENANT', 'EXCHANGE ORGANIZATION', 'STATUS', 'ADDED'], ...rows.map((r) => [r.id, r.displayName, r.tenantId, r.exchangeOrganization, r.status === 'removed' ? `removed ${r.removedAt?.slice(0, 10) ?? ''}`.trim() : 'active', r.addedAt.slice(0, 10)])];
  const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => (row[c] ?? '').length)));
  for (const row of table) deps.out(row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ').trimEnd());
  deps.out(`${rows.filter((r) => r.status === 'active').length} active, ${rows.filter((r) => r.status === 'removed').length} removed.`);
  return 0;
}

async function remove(options: CustomerOptions, deployment: MspDeployment, registry: CustomerRegistry, deps: CustomerDependencies): Promise<number> {
  const id = options.id as string;
  const row = (await registry.list()).find((r) => r.id === id);
  if (!row) throw new DeployProblem(`No customer with id '${id}' in ${deployment.resourceGroup}.`, 'npm run customer:list shows the ids');
  if (row.status === 'removed') {
    deps.out(`${row.displayName} (${id}) was already removed on ${row.removedAt ?? 'an earlier run'}; nothing changed.`);
  } else {
    await registry.markRemoved(id, (deps.now?.() ?? new Date()).toISOString());
    deps.out(`${row.displayName} (${id}) removed: its webhook URL is refused from now on (the router checks the registry on every call).`);
  }
  deps.out('');
  for (const line of removalInstructions(row.tenantId, deployment.mspAppId, deployment.mspAppName)) deps.out(line);
  return 0;
}

function customerIdFor(name: string, taken: ReadonlySet<string>): string {
  const base = baseNameFor(name).slice(0, 20) || 'customer';
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

async function add(options: CustomerOptions, deployment: MspDeployment, registry: CustomerRegistry, run: Runner, deps: CustomerDependencies): Promise<number> {
  const out = deps.out;
  const name = options.name as string;
  const tenantId = await resolveTenant(options.tenant as string, deps.resolveTenant ?? resolveTenantOnline);
  out(`Customer "${name}": tenant ${tenantId}${options.tenant !== tenantId ? ` (from ${options.tenant})` : ''}.`);
  const rows = await registry.list();
  const existing = rows.find((r) => r.tenantId === tenantId && r.status === 'active');

  const manifest = await loadManifest(deps.root);
  const wantedRoles = requiredResourceAccess(manifest).flatMap((r) => r.resourceAccess.map((a) => a.id));
  const wantedDirectoryRoles = directoryRolesForMsp(manifest);
  const consentUrl = adminConsentUrl(tenantId, deployment.mspAppId);

  out('');
  out(`1. The customer's Global Administrator opens this URL, signs in and accepts (it grants exactly the permissions in infra/permissions.json):`);
  out(`   ${consentUrl}`);
  await deps.waitForConsent(consentUrl);

  const verify = deps.verify ?? verifyThroughHelpers(run);
  const result = await verify({ tenantId, deployment });
  if (!result.consented) {
    throw new DeployProblem(
      `Tenant ${tenantId} has not consented to "${deployment.mspAppName}" yet; nothing was recorded.`,
      `Have the customer's Global Administrator open ${consentUrl}, then run the same command again`,
    );
  }
  const missingAppRoles = wantedRoles.filter((id) => !result.grantedAppRoleIds.includes(id));
  const labels = new Map(manifest.grants.map((g) => [g.id, g.value]));
  if (missingAppRoles.length > 0) {
    throw new DeployProblem(
      `Consent in tenant ${tenantId} lacks ${missingAppRoles.map((id) => labels.get(id) ?? id).join(', ')} (the app asked for more after the customer consented).`,
      `Have the customer's Global Administrator open ${consentUrl} again and accept, then run the same command again`,
    );
  }
  out(`2. Consent verified: all ${wantedRoles.length} application permissions of infra/permissions.json are granted (Microsoft Graph and Exchange.ManageAsApp).`);

  const missingDirectoryRoles = wantedDirectoryRoles.filter((r) => !result.assignedDirectoryRoleIds.includes(r.id));
  out('');
  if (missingDirectoryRoles.length === 0) {
    out(`3. Directory roles verified: ${wantedDirectoryRoles.map((r) => r.name).join(', ')}.`);
  } else {
    out(`3. STILL TO DO by the customer's admin (consent cannot grant directory roles; until then the intents that need them fail with a clear message):`);
    for (const line of roleAssignmentInstructions(tenantId, deployment.mspAppId, deployment.mspAppName, missingDirectoryRoles)) out(`   ${line}`.trimEnd());
    out('   Then run this same command again to verify.');
  }

  out('');
  if (existing) {
    out(`4. Already onboarded as '${existing.id}' on ${existing.addedAt.slice(0, 10)}: its webhook URL is unchanged (not stored, so not shown again).`);
    out(`   Lost the URL? npm run customer:remove -- --resource-group ${deployment.resourceGroup} --id ${existing.id}, then add the customer again for a new one.`);
    return 0;
  }
  const id = customerIdFor(name, new Set(rows.map((r) => r.id)));
  const key = newWebhookKey();
  const trigger = await routerTriggerName(deps.root);
  const callback = (await run.check(['rest', '--method', 'post', '--url', callbackUrlFor(deployment.subscriptionId, deployment.resourceGroup, deployment.logicAppName, trigger)])) as { value?: string };
  if (!callback.value) throw new DeployProblem('Azure answered without the router\'s callback URL.', 'Check that the thread-webhook workflow loaded (npm run deploy -- --mode msp again)');
  const row: CustomerRow = {
    id,
    displayName: name,
    tenantId,
    domains: result.verifiedDomains,
    exchangeOrganization: result.initialDomain,
    webhookKeyId: key.keyId,
    webhookKeyHash: key.verifier,
    status: 'active',
    addedAt: (deps.now?.() ?? new Date()).toISOString(),
  };
  await registry.insert(row);
  out(`4. Recorded as customer '${id}' (Exchange organisation ${row.exchangeOrganization}).`);
  out('');
  out(`Webhook URL for Thread, for ${name} only (shown once and stored nowhere; it works like a password, so do not put it in tickets or chat):`);
  out(customerWebhookUrl(callback.value, id, key.key));
  return 0;
}
