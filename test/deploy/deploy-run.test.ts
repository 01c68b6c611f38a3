import { appendFile, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_ARGS, createWorld, isChange, label, WEBHOOK_SIG, type FakeAzWorld, type FakeState } from './support.js';

/**
 * `npm run deploy` against the recording stand-in for az (fake-az/). Each describe is one customer's story told in
 * order (the tests of a describe share its fake tenant and run one after the other): a first deployment and what
 * it did, a second run that changes nothing, later runs that change only what changed; a failure halfway that a
 * re-run completes; and no secret in any argument. Every az call costs a node start-up, so runs are shared.
 */
const SLOW = { timeout: 600_000 };

/** Consecutive duplicates collapsed, so per-item loops read as one line each. */
function collapse(labels: string[]): string[] {
  return labels.filter((l, i) => l !== labels[i - 1]);
}

async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await allFiles(path)));
    else out.push(path);
  }
  return out;
}

describe('a customer deployed, then deployed again', SLOW, () => {
  let world: FakeAzWorld;
  let first: { code: number; out: string[]; err: string[] };
  let firstCalls: string[][];
  let afterFirst: FakeState;
  const firstArgs = [...BASE_ARGS, '--allowed-caller-ips', '203.0.113.7', '--allow-external-forwarding'];

  beforeAll(async () => {
    world = await createWorld();
    first = await world.deploy(firstArgs);
    firstCalls = await world.calls();
    afterFirst = await world.state();
  }, 600_000);
  afterAll(async () => {
    await world.cleanup();
  });

  it('first run: every step in order (sign-in, group, app + service principal, key check, Bicep, code, runbooks, grants, URL)', () => {
    expect(first.err).toEqual([]);
    expect(first.code).toBe(0);
    const calls = firstCalls.map(label);
    const changes = firstCalls.filter(isChange).map(label);
    expect(collapse(changes.map((l) => l.replace(/\/runbooks\/[^/]+/, '/runbooks/<name>')))).toEqual([
      'group create',
      'ad app create',
      'ad app update',
      'ad sp create',
      'deployment group create',
      'functionapp deployment source config-zip',
      'tag update',
      'logicapp deployment source config-zip',
      'tag update',
      // per runbook: upload, then publish (the polls in between are reads)
      ...Array.from({ length: afterFirst.runbookNames.length }, () => ['rest put <aa>/runbooks/<name>/draft/content', 'rest post <aa>/runbooks/<name>/publish']).flat(),
      'rest post <sp>/appRoleAssignments',
      'rest post /roleManagement/directory/roleAssignments',
      'rest post <sp>/appRoleAssignments',
      'rest post /roleManagement/directory/roleAssignments',
    ]);
    expect(calls[0]).toBe('account show');
    expect(calls.indexOf('resource list')).toBeLessThan(calls.indexOf('deployment group create'));
    expect(calls.at(-1)).toBe('rest post <logicApp>/…/listCallbackUrl');
    expect(first.out).toContain('Done: 8 of 13 steps changed something.');
  });

  it('first run: the helpers app registration has identifier URI api://<appId> and a service principal', () => {
    expect(afterFirst.apps).toHaveLength(1);
    const app = afterFirst.apps[0];
    expect(app.displayName).toBe('Thread intent runner helpers (contoso)');
    expect(app.identifierUris).toEqual([`api://${app.appId}`]);
    expect(afterFirst.servicePrincipals.filter((s: { appId: string }) => s.appId === app.appId)).toHaveLength(1);
    const parameters = afterFirst.deployments[0].properties.parameters;
    expect(parameters.helpersAppClientId.value).toBe(app.appId);
    expect(parameters.createStatusSigningKey.value).toBe(true);
    expect(parameters.allowedCallerIps.value).toEqual(['203.0.113.7/32']);
  });

  it('first run: each runbooks/<name>.ps1 uploaded and published; the zips unpack with host.json and the workflows at the root', async () => {
    for (const name of afterFirst.runbookNames as string[]) {
      const script = await readFile(join(world.root, 'runbooks', `${name}.ps1`), 'utf8');
      expect(afterFirst.runbooks[name]).toMatchObject({ state: 'Published', published: script, uploads: 1, publishes: 1 });
    }
    const sites = Object.entries(afterFirst.sites as Record<string, { files?: Record<string, string> }>);
    const logicApp = sites.find(([n]) => n.startsWith('logic-'))?.[1].files ?? {};
    expect(logicApp['thread-webhook/workflow.json']).toBe(await readFile(join(world.root, 'workflows/thread-webhook/workflow.json'), 'utf8'));
    expect(Object.keys(sites.find(([n]) => n.startsWith('func-'))?.[1].files ?? {})).toEqual(['host.json', 'index.js']);
  });

  it('first run: every app role and directory role of infra/permissions.json granted to the right identity, once', async () => {
    const manifest = JSON.parse(await readFile(join(world.root, 'infra/permissions.json'), 'utf8')) as {
      identities: Array<{ id: string; modes: string[] }>;
      grants: Array<{ identity: string; kind: string; id: string; resourceAppId?: string }>;
    };
    const customer = new Set(manifest.identities.filter((i) => i.modes.includes('customer')).map((i) => i.id));
    const grants = manifest.grants.filter((g) => customer.has(g.identity) && g.kind !== 'delegated');
    for (const grant of grants) {
      const principalId = afterFirst.principals[grant.identity];
      const matches =
        grant.kind === 'appRole'
          ? afterFirst.appRoleAssignments.filter(
              (a: { principalId: string; appRoleId: string; resourceId: string }) =>
                a.principalId === principalId && a.appRoleId === grant.id && a.resourceId === `sp-${grant.resourceAppId}`,
            )
          : afterFirst.roleAssignments.filter(
              (a: { principalId: string; roleDefinitionId: string; directoryScopeId: string }) =>
                a.principalId === principalId && a.roleDefinitionId === grant.id && a.directoryScopeId === '/',
            );
      expect(matches, `${grant.identity} ${grant.id}`).toHaveLength(1);
    }
    expect(afterFirst.appRoleAssignments.length + afterFirst.roleAssignments.length).toBe(grants.length);
  });

  it('first run: ends with the manual step (authorise the office365 connection as the mailbox) and the webhook URL', () => {
    const manual = first.out.find((l) => l.startsWith('Still to do by hand:'));
    expect(manual).toContain('API connection office365');
    expect(manual).toContain('sign in as alerts@contoso.com');
    const at = first.out.findIndex((l) => l.startsWith('Webhook URL for Thread'));
    expect(first.out[at + 1]).toBe(
      `https://${afterFirst.deployments[0].properties.outputs.logicAppName.value}.azurewebsites.net:443/api/thread-webhook/triggers/manual/invoke?api-version=2022-05-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${WEBHOOK_SIG}`,
    );
    expect(first.out.filter((l) => l.includes(WEBHOOK_SIG))).toHaveLength(1);
  });

  it('second run, settings left out: changes nothing (only reads) and keeps the settings of the first run', async () => {
    await world.clearLog();
    const second = await world.deploy(BASE_ARGS);
    expect(second.code).toBe(0);
    const calls = await world.calls();
    // Reads only. listCallbackUrl is a POST that returns the URL signed with the existing key (support.ts isChange).
    expect(calls.filter(isChange).map(label)).toEqual([]);
    expect(second.out).toContain('Everything was already in place; nothing changed.');
    const state = await world.state();
    // The Bicep deployment was skipped: the identical one (same files, same kept settings) had succeeded.
    expect(state.deployments).toHaveLength(1);
    expect(state.signingKeyWrites).toBe(1);
    expect(state.apps).toEqual(afterFirst.apps);
    expect(state.appRoleAssignments).toEqual(afterFirst.appRoleAssignments);
  });

  it('a changed setting and runbook with --what-if: what-if first, the key kept, both packages again, only that runbook re-published', async () => {
    const name = (afterFirst.runbookNames as string[])[0] as string;
    await appendFile(join(world.root, 'runbooks', `${name}.ps1`), '\n# changed\n');
    await world.clearLog();
    const third = await world.deploy([...BASE_ARGS, '--default-usage-location', 'gb', '--what-if']);
    expect(third.code).toBe(0);
    // The settings are merged (infra/README.md): what-if names the changed setting of each app, never its value.
    for (const app of ['logicAppName', 'helpersName']) {
      const site = afterFirst.deployments[0].properties.outputs[app].value as string;
      expect(third.out).toContain(`      ~ Modify      Microsoft.Web/sites/${site}/config/appsettings (properties.DEFAULT_USAGE_LOCATION)`);
    }
    expect(third.out).toContain('    Summary: 2 NoChange, 2 Modify.');
    const calls = await world.calls();
    expect(calls.map(label).indexOf('deployment group what-if')).toBeLessThan(calls.map(label).indexOf('deployment group create'));
    expect(calls.filter(isChange).map(label)).toEqual([
      'deployment group create',
      'functionapp deployment source config-zip',
      'tag update',
      'logicapp deployment source config-zip',
      'tag update',
      `rest put <aa>/runbooks/${name}/draft/content`,
      `rest post <aa>/runbooks/${name}/publish`,
    ]);
    const state = await world.state();
    const latest = state.deployments.at(-1).properties.parameters;
    expect(latest.createStatusSigningKey.value).toBe(false);
    expect(latest.defaultUsageLocation.value).toBe('GB');
    expect(latest.allowedCallerIps.value).toEqual(['203.0.113.7/32']);
    expect(latest.allowExternalForwarding.value).toBe(true);
    expect(state.signingKeyWrites).toBe(1);
  });

  it('once the mailbox authorised the connection, the manual step is reported done; --what-if predicting no change skips Bicep', async () => {
    await world.update((s) => {
      const connection = Object.values(s.resources as Record<string, { type: string; properties: unknown }>).find((r) => r.type === 'Microsoft.Web/connections');
      if (connection) connection.properties = { statuses: [{ status: 'Connected' }] };
    });
    await world.clearLog();
    const { code, out } = await world.deploy([...BASE_ARGS, '--default-usage-location', 'GB', '--what-if']);
    expect(code).toBe(0);
    expect(out).toContain('    Summary: 2 NoChange.');
    expect((await world.calls()).filter(isChange).map(label)).toEqual([]);
    expect(out.some((l) => l.includes('office365 is authorised'))).toBe(true);
    expect(out.some((l) => l.startsWith('Still to do by hand'))).toBe(false);
  });

  it('no argument of any az call carries a secret, token or signature; the URL is in no file', async () => {
    const calls = [...firstCalls, ...(await world.calls())];
    for (const arg of calls.flat()) {
      expect(arg).not.toContain(WEBHOOK_SIG);
      expect(arg).not.toMatch(/sig=|bearer |eyJ[A-Za-z0-9_-]{10,}|password|client-secret|accountkey=/i);
    }
    // Nothing reads a secret or a token, and the signing key is never a parameter (Bicep generates it).
    expect(calls.map((c) => c.join(' ')).filter((c) => /keyvault secret|get-access-token|list-keys|keys list|--show-secrets/.test(c))).toEqual([]);
    const parameters = Object.keys(afterFirst.deployments[0].properties.parameters as object);
    expect(parameters.filter((p) => /key|secret|password/i.test(p) && p !== 'createStatusSigningKey')).toEqual([]);
    for (const file of await allFiles(world.root)) expect((await readFile(file)).includes(WEBHOOK_SIG), file).toBe(false);
    expect(await readFile(world.logPath, 'utf8')).not.toContain(WEBHOOK_SIG);
  });

  it('refuses to put a second customer into a resource group that holds another one', async () => {
    const { code, err } = await world.deploy(BASE_ARGS.map((a) => (a === 'Contoso' ? 'Fabrikam' : a)));
    expect(code).toBe(1);
    expect(err[0]).toContain("already holds the runner for short name 'contoso', not 'fabrikam'");
    expect(err.at(-1)).toContain('--base-name contoso');
  });
});

describe('failures halfway, completed by re-running the same command', SLOW, () => {
  let world: FakeAzWorld;
  beforeAll(async () => {
    world = await createWorld();
    await world.update((s) => {
      s.failures = [
        { match: 'logicapp deployment source config-zip', remaining: 1, exitCode: 1, stderr: 'ERROR: Zip deployment failed. {"Message":"An error has occurred."}' },
        {
          match: 'roleManagement/directory/roleAssignments --headers',
          remaining: 1,
          exitCode: 1,
          stderr: 'ERROR: Forbidden({"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation."}})',
        },
        // Right after a deployment the Logic App may not have loaded the workflows yet: listCallbackUrl answers 404.
        { match: '/listCallbackUrl?', remaining: 1, exitCode: 1, stderr: 'ERROR: Not Found({"error":{"code":"WorkflowNotFound","message":"The workflow \'thread-webhook\' could not be found."}})' },
      ];
    });
  });
  afterAll(async () => {
    await world.cleanup();
  });

  it('stops with the step, the command, az’s message and what to do', async () => {
    const run = await world.deploy();
    expect(run.code).toBe(1);
    expect(run.err[0]).toBe('FAILED: Workflows deployed to the Logic App (dist/logicapp.zip): an Azure CLI command failed');
    expect(run.err[1]).toMatch(/^ {2}Command: az logicapp deployment source config-zip --resource-group rg-thread-contoso --name logic-contoso-\w+ --src dist\/logicapp\.zip /);
    expect(run.err).toContain('  Azure CLI: ERROR: Zip deployment failed. {"Message":"An error has occurred."}');
    expect(run.err.at(-1)).toBe('  What to do: Fix what Azure reports above, then run the same command again: finished steps are skipped.');
    expect((await world.calls()).map(label)).not.toContain('rest post <sp>/appRoleAssignments');
  });

  it('the re-run skips every finished step and continues from the failed one (here it then fails at a grant)', async () => {
    await world.clearLog();
    const run = await world.deploy();
    const changes = (await world.calls()).filter(isChange).map(label);
    expect(changes[0]).toBe('logicapp deployment source config-zip');
    for (const done of ['group create', 'ad app create', 'ad sp create', 'deployment group create', 'functionapp deployment source config-zip']) {
      expect(changes).not.toContain(done);
    }
    expect(run.code).toBe(1);
    expect(run.err[0]).toBe('FAILED: Microsoft Graph and Exchange permissions (infra/permissions.json): an Azure CLI command failed');
    expect(run.err.at(-1)).toContain("Global Administrator or Privileged Role Administrator of the customer's tenant");
  });

  it('the next re-run completes, assigning nothing twice, asks again for the URL while the workflow loads, and prints it', async () => {
    await world.clearLog();
    const run = await world.deploy();
    expect(run.code).toBe(0);
    const changes = (await world.calls()).filter(isChange).map(label);
    expect(changes.every((c) => c.startsWith('rest post'))).toBe(true);
    const state = await world.state();
    const pairs = (state.appRoleAssignments as Array<{ principalId: string; appRoleId: string }>).map((a) => `${a.principalId}/${a.appRoleId}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    expect(state.roleAssignments).toHaveLength(2);
    expect((await world.calls()).map(label).filter((l) => l.endsWith('listCallbackUrl'))).toHaveLength(2);
    expect(run.out.some((l) => l.includes(`sig=${WEBHOOK_SIG}`))).toBe(true);
  });
});

describe('stopped before anything changes', SLOW, () => {
  let world: FakeAzWorld;
  beforeAll(async () => {
    world = await createWorld();
  });
  afterAll(async () => {
    await world.cleanup();
  });

  it('not signed in: stops at the first step and says to run az login', async () => {
    await world.update((s) => {
      s.loggedIn = false;
    });
    const { code, err } = await world.deploy();
    await world.update((s) => {
      s.loggedIn = true;
    });
    expect(code).toBe(1);
    expect(err[0]).toBe('FAILED: Signed in to Azure, subscription chosen: an Azure CLI command failed');
    expect(err).toContain("  Azure CLI: ERROR: Please run 'az login' to setup account.");
    expect(err.at(-1)).toContain('az login --tenant');
  });

  it('refuses a --subscription in another tenant than the CLI works in (app registrations would go elsewhere)', async () => {
    const { code, err } = await world.deploy([...BASE_ARGS, '--subscription', 'Other tenant']);
    expect(code).toBe(1);
    expect(err[0]).toContain('is in tenant ffffffff-bbbb-cccc-dddd-eeeeeeeeeeee, but the Azure CLI is working in tenant aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee');
    expect(err.at(-1)).toContain('az account set --subscription 99999999-2222-3333-4444-555555555555');
  });

  it('a --helpers-app-id that is not in the tenant is refused', async () => {
    const { code, err } = await world.deploy([...BASE_ARGS, '--helpers-app-id', '12345678-1234-1234-1234-123456789abc']);
    expect(code).toBe(1);
    expect(err[0]).toContain('No app registration with client id 12345678-1234-1234-1234-123456789abc');
  });

  it('none of these changed anything but the resource group', async () => {
    expect((await world.calls()).filter(isChange).map(label)).toEqual(['group create']);
  });
});
