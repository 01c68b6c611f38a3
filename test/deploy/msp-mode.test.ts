import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploy } from '../../scripts/deploy/main.js';
import { FEDERATED_CREDENTIAL_NAME, requiredResourceAccess, TOKEN_EXCHANGE_AUDIENCE } from '../../scripts/deploy/steps/msp-app.js';
import { stepsFor } from '../../scripts/deploy/steps/index.js';
import { AZURE_CLI_APP_ID, SCOPE_VALUE } from '../../scripts/deploy/steps/helpers-cli-access.js';
import { loadManifest } from '../../scripts/deploy/manifest.js';
import { BASE_ARGS, MSP_ARGS, REPO, createWorld, isChange, label, type FakeAzWorld } from './support.js';

/**
 * `npm run deploy -- --mode msp` (issue 13): the customer-mode deployment plus a user-assigned managed identity, the
 * customers registry table, and a multi-tenant app registration whose only credential is a federated identity
 * credential trusting that identity (https://learn.microsoft.com/entra/workload-id/workload-identity-federation-config-app-trust-managed-identity).
 */

/** Words that would mean a secret or certificate was made or passed. */
const SECRET_WORDS = /credential reset|--password|--cert|--create-cert|--secret|client[-_]?secret|passwordCredentials|keyCredentials|--append/i;

describe('npm run deploy -- --mode msp --plan', () => {
  let lines: string[] = [];
  beforeAll(async () => {
    lines = [];
    const code = await deploy([...MSP_ARGS, '--plan'], {
      root: REPO,
      io: { out: (l) => lines.push(l), confirm: () => Promise.reject(new Error('--plan never asks')) },
      local: { pack: () => Promise.reject(new Error('--plan never builds')) },
      sleep: () => Promise.reject(new Error('--plan never waits')),
    });
    expect(code).toBe(0);
  });

  it('lists the whole msp deployment in order: app registration, Bicep in msp mode, federated credential, code, runbooks, router', () => {
    const headers = lines.filter((l) => l.startsWith('# [')).map((h) => h.replace(/^# \[[ \d]+\/\d+\] /, ''));
    expect(headers).toEqual(stepsFor('msp').map((s) => s.title));
    expect(headers.some((h) => h.includes('permissions.json') && h.startsWith('Microsoft Graph'))).toBe(false); // grants come per customer (consent)
    const order = [
      'apply  az group create',
      "apply  az ad app create --display-name 'Thread intent runner helpers (fabrikammsp)'",
      "apply  az ad app create --display-name 'Thread intent runner (fabrikammsp)' --sign-in-audience AzureADMultipleOrgs --required-resource-accesses",
      'apply  az deployment group create',
      "apply  az ad app federated-credential create --id '<mspAppId>' --parameters",
      'local  node dist/scripts/pack.js',
      'apply  az functionapp deployment source config-zip',
      'apply  az logicapp deployment source config-zip',
      'apply  az rest --method put',
      'check  az rest --method post --url',
    ];
    let at = -1;
    for (const start of order) {
      const next = lines.findIndex((l, i) => i > at && l.startsWith(start));
      expect(next, start).toBeGreaterThan(at);
      at = next;
    }
    const create = lines.find((l) => l.startsWith('apply  az deployment group create')) ?? '';
    expect(create).toContain('deploymentMode=msp');
    expect(create).toContain("'mspAppClientId=<mspAppId>'");
    expect(create).toContain('exchangeOrganization= ');
    for (const line of lines) expect(line).not.toMatch(SECRET_WORDS);
  });

  it("asks for exactly the manifest's msp-mode application permissions in the app's requiredResourceAccess", async () => {
    const manifest = await loadManifest(REPO);
    const expected = requiredResourceAccess(manifest);
    const line = lines.find((l) => l.includes('--required-resource-accesses')) ?? '';
    const json = /--required-resource-accesses '([^']+)'/.exec(line)?.[1] ?? '';
    expect(JSON.parse(json)).toEqual(expected);
    const ids = expected.flatMap((r) => r.resourceAccess.map((a) => a.id));
    // Graph: the Logic App's + helpers' roles; Exchange: Exchange.ManageAsApp (infra/permissions.json).
    expect(ids).toEqual(expect.arrayContaining(['741f803b-c850-494e-b5df-cde7c675a1ca', 'dc50a0fb-09a3-484d-be87-e023b12c6440']));
    expect(new Set(ids).size).toBe(ids.length);
    expect(expected.every((r) => r.resourceAccess.every((a) => a.type === 'Role'))).toBe(true);
  });
});

describe('npm run deploy -- --mode msp against the fake az', () => {
  let world: FakeAzWorld;
  let first: { code: number; out: string[]; err: string[] };
  let firstCalls: string[][];
  beforeAll(async () => {
    world = await createWorld();
    first = await world.deploy(MSP_ARGS);
    firstCalls = await world.calls();
  }, 60_000);
  afterAll(() => world.cleanup());

  it('deploys: msp parameters, the identity, the app trusting it, and no grant in the MSP tenant', async () => {
    expect(first.err).toEqual([]);
    expect(first.code).toBe(0);
    const state = await world.state();
    const app = state.apps.find((a: { displayName: string }) => a.displayName === 'Thread intent runner (fabrikammsp)');
    expect(app.signInAudience).toBe('AzureADMultipleOrgs');
    const deployment = state.deployments.at(-1);
    expect(deployment.properties.parameters.deploymentMode.value).toBe('msp');
    expect(deployment.properties.parameters.mspAppClientId.value).toBe(app.appId);
    const principalId = deployment.properties.outputs.mspIdentityPrincipalId.value;
    expect(app.federatedIdentityCredentials).toEqual([
      expect.objectContaining({
        name: FEDERATED_CREDENTIAL_NAME,
        issuer: `https://login.microsoftonline.com/${state.subscription.tenantId}/v2.0`,
        subject: principalId,
        audiences: [TOKEN_EXCHANGE_AUDIENCE],
      }),
    ]);
    expect(state.appRoleAssignments ?? []).toEqual([]);
    // customer:add calls verify-tenant with `az account get-access-token --resource api://<helpers>`: the helpers app
    // exposes a scope and pre-authorises the Azure CLI for it, or Entra answers AADSTS65001
    // (https://learn.microsoft.com/graph/api/resources/apiapplication).
    const helpers = state.apps.find((a: { displayName: string }) => a.displayName === 'Thread intent runner helpers (fabrikammsp)');
    const scope = helpers.api.oauth2PermissionScopes.find((x: { value: string }) => x.value === SCOPE_VALUE);
    expect(scope).toBeDefined();
    expect(helpers.api.preAuthorizedApplications).toEqual([{ appId: AZURE_CLI_APP_ID, delegatedPermissionIds: [scope.id] }]);
    expect(first.out.join('\n')).toContain('npm run customer:add');
    // The bare router URL (it carries the workflow's signature) is not handed out in msp mode.
    expect(first.out.join('\n')).not.toContain(state.webhookSig);
  });

  it('a second run changes nothing', async () => {
    await world.clearLog();
    const again = await world.deploy(MSP_ARGS);
    expect(again.code).toBe(0);
    expect(again.out).toContain('Everything was already in place; nothing changed.');
    expect((await world.calls()).filter(isChange).map(label)).toEqual([]);
  });

  it('a permission added to the manifest later is added to the app (customers then consent again)', async () => {
    await world.update((s) => {
      const app = s.apps.find((a: { displayName: string }) => a.displayName === 'Thread intent runner (fabrikammsp)');
      app.requiredResourceAccess[0].resourceAccess.pop();
    });
    await world.clearLog();
    const again = await world.deploy(MSP_ARGS);
    expect(again.code).toBe(0);
    expect((await world.calls()).filter(isChange).map(label)).toEqual(['ad app update']);
  });

  it('no secret or certificate in any az argument or in the output', () => {
    for (const call of firstCalls) expect(call.join(' ')).not.toMatch(SECRET_WORDS);
    expect(first.out.join('\n')).not.toMatch(SECRET_WORDS);
  });

  it('no secret or certificate in the Bicep, the parameters file or the apps\' settings for msp mode', async () => {
    const files = [join(REPO, 'infra', 'main.bicep'), join(REPO, 'infra', 'main.bicepparam')];
    for (const f of await readdir(join(REPO, 'infra', 'modules'))) files.push(join(REPO, 'infra', 'modules', f));
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      expect(text, file).not.toMatch(/clientSecret|client_secret|passwordCredentials|keyCredentials|\.pfx|certificatePassword|MSP_CLIENT_SECRET/i);
    }
    const keyVault = await readFile(join(REPO, 'infra', 'modules', 'key-vault.bicep'), 'utf8');
    // The one secret resource is the status-URL signing key, the same in both modes: none per customer.
    expect(keyVault.match(/Microsoft\.KeyVault\/vaults\/secrets/g)?.length ?? 0).toBeLessThanOrEqual(1);
    expect(BASE_ARGS).toContain('--exchange-organization');
  });
});
