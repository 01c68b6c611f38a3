import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BASE_ARGS, createWorld, isChange, label, WEBHOOK_SIG, type FakeAzWorld } from './support.js';

/**
 * `npm run deploy` against the recording stand-in for az (fake-az/): the whole order of a first deployment, a
 * second run that changes nothing, a failure halfway that a re-run completes, and no secret in any argument.
 */
let world: FakeAzWorld;
beforeEach(async () => {
  world = await createWorld();
});
afterEach(async () => {
  await world.cleanup();
});

/** Consecutive duplicates collapsed, so per-item loops read as one line each. */
function collapse(labels: string[]): string[] {
  return labels.filter((l, i) => l !== labels[i - 1]);
}

describe('first deployment', () => {
  it('runs every step in order: sign-in, group, app + service principal, key check, Bicep, code, runbooks, grants, URL', async () => {
    const { code, out } = await world.deploy();
    expect(code).toBe(0);
    const calls = (await world.calls()).map(label);
    const changes = (await world.calls()).filter(isChange).map(label);
    // The order that matters, as the changes happen.
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
      // per runbook: upload, then publish (polls in between are reads)
      ...Array.from({ length: 4 }, () => ['rest put <aa>/runbooks/<name>/draft/content', 'rest post <aa>/runbooks/<name>/publish']).flat(),
      'rest post <sp>/appRoleAssignments',
      'rest post /roleManagement/directory/roleAssignments',
      'rest post <sp>/appRoleAssignments',
      'rest post <sp>/appRoleAssignments',
      'rest post /roleManagement/directory/roleAssignments',
    ]);
    expect(calls[0]).toBe('account show');
    expect(calls.at(-1)).toBe('rest post <logicApp>/…/listCallbackUrl');
    expect(calls.indexOf('resource list')).toBeLessThan(calls.indexOf('deployment group create'));
    expect(out.some((l) => l.startsWith('Done: 9 of 13 steps changed something.'))).toBe(true);
    expect(out.some((l) => l.includes(`sig=${WEBHOOK_SIG}`))).toBe(true);
  });

  it('creates the helpers app registration with identifier URI api://<appId> and its service principal', async () => {
    await world.deploy();
    const state = await world.state();
    expect(state.apps).toHaveLength(1);
    const app = state.apps[0];
    expect(app.displayName).toBe('Thread intent runner helpers (contoso)');
    expect(app.identifierUris).toEqual([`api://${app.appId}`]);
    expect(state.servicePrincipals.filter((s: { appId: string }) => s.appId === app.appId)).toHaveLength(1);
    const deployment = state.deployments[0];
    expect(deployment.properties.parameters.helpersAppClientId.value).toBe(app.appId);
    expect(deployment.properties.parameters.createStatusSigningKey.value).toBe(true);
  });

  it('uploads each runbooks/<name>.ps1 and publishes it; both packages are real zips with host.json at the root', async () => {
    await world.deploy();
    const state = await world.state();
    for (const name of state.runbookNames as string[]) {
      const script = await readFile(join(world.root, 'runbooks', `${name}.ps1`), 'utf8');
      expect(state.runbooks[name]).toMatchObject({ state: 'Published', published: script, uploads: 1, publishes: 1 });
    }
    const logicApp = Object.entries(state.sites as Record<string, { files?: Record<string, string> }>).find(([n]) => n.startsWith('logic-'));
    expect(Object.keys(logicApp?.[1].files ?? {})).toContain('thread-webhook/workflow.json');
    expect(logicApp?.[1].files?.['thread-webhook/workflow.json']).toBe(await readFile(join(world.root, 'workflows/thread-webhook/workflow.json'), 'utf8'));
  });

  it('grants every app role and directory role of infra/permissions.json to the right identity, once', async () => {
    await world.deploy();
    const state = await world.state();
    const manifest = JSON.parse(await readFile(join(world.root, 'infra/permissions.json'), 'utf8')) as {
      grants: Array<{ identity: string; kind: string; id: string; resourceAppId?: string }>;
    };
    const customer = manifest.grants.filter((g) => ['logicApp', 'helpers', 'automation'].includes(g.identity));
    for (const grant of customer) {
      const principalId = state.principals[grant.identity];
      if (grant.kind === 'appRole') {
        const matches = state.appRoleAssignments.filter(
          (a: { principalId: string; appRoleId: string; resourceId: string }) =>
            a.principalId === principalId && a.appRoleId === grant.id && a.resourceId === `sp-${grant.resourceAppId}`,
        );
        expect(matches, `${grant.identity} ${grant.id}`).toHaveLength(1);
      } else {
        const matches = state.roleAssignments.filter(
          (a: { principalId: string; roleDefinitionId: string; directoryScopeId: string }) =>
            a.principalId === principalId && a.roleDefinitionId === grant.id && a.directoryScopeId === '/',
        );
        expect(matches, `${grant.identity} ${grant.id}`).toHaveLength(1);
      }
    }
    const total = state.appRoleAssignments.length + state.roleAssignments.length;
    expect(total).toBe(customer.filter((g) => g.kind !== 'delegated').length);
  });

  it('ends with the one manual step (authorise the office365 connection as the notification mailbox) and the webhook URL', async () => {
    const { out } = await world.deploy();
    const manual = out.find((l) => l.startsWith('Still to do by hand:'));
    expect(manual).toContain('API connection office365');
    expect(manual).toContain('sign in as alerts@contoso.com');
    const urlLine = out.findIndex((l) => l.startsWith('Webhook URL for Thread'));
    expect(out[urlLine + 1]).toMatch(/^https:\/\/logic-contoso-[a-f0-9]+\.azurewebsites\.net:443\/api\/thread-webhook\/triggers\/manual\/invoke\?/);
  });
});

describe('second run', () => {
  it('changes nothing: only reads (Bicep skipped because the identical deployment succeeded; listCallbackUrl only reads)', async () => {
    await world.deploy();
    await world.clearLog();
    const before = await world.state();
    const { code, out } = await world.deploy();
    expect(code).toBe(0);
    const calls = await world.calls();
    expect(calls.filter(isChange).map(label)).toEqual([]);
    expect(out).toContain('Everything was already in place; nothing changed.');
    const after = await world.state();
    expect(after.signingKeyWrites).toBe(1);
    expect(after.deployments).toHaveLength(before.deployments.length);
    expect(after.apps).toEqual(before.apps);
  });

  it('keeps the status-URL signing key: the next deployment (new settings) passes createStatusSigningKey=false', async () => {
    await world.deploy();
    const { code } = await world.deploy([...BASE_ARGS, '--default-usage-location', 'GB']);
    expect(code).toBe(0);
    const state = await world.state();
    expect(state.deployments).toHaveLength(2);
    expect(state.deployments[1].properties.parameters.createStatusSigningKey.value).toBe(false);
    expect(state.signingKeyWrites).toBe(1);
  });

  it('never resets a setting left out on a re-run: the last deployment’s value is kept', async () => {
    await world.deploy([...BASE_ARGS, '--allowed-caller-ips', '203.0.113.7', '--allow-external-forwarding']);
    await world.clearLog();
    const { code } = await world.deploy();
    expect(code).toBe(0);
    expect((await world.calls()).filter(isChange).map(label)).toEqual([]);
    const state = await world.state();
    expect(state.deployments).toHaveLength(1);
    expect(state.deployments[0].properties.parameters.allowedCallerIps.value).toEqual(['203.0.113.7/32']);
    expect(state.deployments[0].properties.parameters.allowExternalForwarding.value).toBe(true);
  });

  it('re-deploys both packages after a Bicep deployment, and re-publishes only a runbook whose script changed', async () => {
    await world.deploy();
    await world.clearLog();
    const name = ((await world.state()).runbookNames as string[])[0] as string;
    const file = join(world.root, 'runbooks', `${name}.ps1`);
    await import('node:fs/promises').then((fs) => fs.appendFile(file, '\n# changed\n'));
    const { code } = await world.deploy([...BASE_ARGS, '--protected-groups', 'Domain Admins']);
    expect(code).toBe(0);
    const changes = (await world.calls()).filter(isChange).map(label);
    expect(changes).toEqual([
      'deployment group create',
      'functionapp deployment source config-zip',
      'tag update',
      'logicapp deployment source config-zip',
      'tag update',
      `rest put <aa>/runbooks/${name}/draft/content`,
      `rest post <aa>/runbooks/${name}/publish`,
    ]);
  });

  it('reports the office365 connection as done once the mailbox authorised it', async () => {
    await world.deploy();
    await world.update((s) => {
      const connection = Object.values(s.resources as Record<string, { type: string; properties: unknown }>).find((r) => r.type === 'Microsoft.Web/connections');
      if (connection) connection.properties = { statuses: [{ status: 'Connected' }] };
    });
    const { out } = await world.deploy();
    expect(out.some((l) => l.includes('office365 is authorised'))).toBe(true);
    expect(out.some((l) => l.startsWith('Still to do by hand'))).toBe(false);
  });
});

describe('a failure halfway', () => {
  it('stops with the step, the command, az’s message and what to do; the re-run skips finished steps and completes', async () => {
    await world.update((s) => {
      s.failures = [
        {
          match: 'logicapp deployment source config-zip',
          remaining: 1,
          exitCode: 1,
          stderr: 'ERROR: Zip deployment failed. {"Message":"An error has occurred."}',
        },
      ];
    });
    const first = await world.deploy();
    expect(first.code).toBe(1);
    expect(first.err[0]).toBe('FAILED: Workflows deployed to the Logic App (dist/logicapp.zip): an Azure CLI command failed');
    expect(first.err[1]).toMatch(/^ {2}Command: az logicapp deployment source config-zip --resource-group rg-thread-contoso --name logic-contoso-\w+ --src dist\/logicapp\.zip /);
    expect(first.err).toContain('  Azure CLI: ERROR: Zip deployment failed. {"Message":"An error has occurred."}');
    expect(first.err.at(-1)).toBe('  What to do: Fix what Azure reports above, then run the same command again: finished steps are skipped.');
    const firstCalls = (await world.calls()).map(label);
    expect(firstCalls).not.toContain('rest post <sp>/appRoleAssignments');

    await world.clearLog();
    const second = await world.deploy();
    expect(second.code).toBe(0);
    const changes = (await world.calls()).filter(isChange).map(label);
    // Everything before the failed step was done: only the failed step and the ones after it change anything.
    expect(changes[0]).toBe('logicapp deployment source config-zip');
    expect(changes).not.toContain('functionapp deployment source config-zip');
    expect(changes).not.toContain('deployment group create');
    expect(changes).not.toContain('ad app create');
    expect(changes).toContain('rest post <sp>/appRoleAssignments');
    expect(second.out.some((l) => l.includes(`sig=${WEBHOOK_SIG}`))).toBe(true);
  });

  it('a grant that fails midway is completed by the re-run without assigning anything twice', async () => {
    await world.update((s) => {
      s.failures = [{ match: 'roleManagement/directory/roleAssignments --headers', remaining: 1, exitCode: 1, stderr: 'ERROR: Forbidden({"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation."}})' }];
    });
    const first = await world.deploy();
    expect(first.code).toBe(1);
    expect(first.err.at(-1)).toContain('Global Administrator or Privileged Role Administrator');
    const second = await world.deploy();
    expect(second.code).toBe(0);
    const state = await world.state();
    const pairs = (state.appRoleAssignments as Array<{ principalId: string; appRoleId: string }>).map((a) => `${a.principalId}/${a.appRoleId}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    expect(state.roleAssignments).toHaveLength(2);
  });
});

describe('secrets', () => {
  async function allFiles(dir: string): Promise<string[]> {
    const out: string[] = [];
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) out.push(...(await allFiles(path)));
      else out.push(path);
    }
    return out;
  }

  it('no argument of any az call carries a secret, token or signature; the webhook URL reaches the terminal only', async () => {
    await world.deploy();
    await world.deploy();
    const calls = await world.calls();
    expect(calls.length).toBeGreaterThan(50);
    const everyArgument = calls.flat();
    for (const arg of everyArgument) {
      expect(arg).not.toContain(WEBHOOK_SIG);
      expect(arg).not.toMatch(/sig=|bearer |eyJ[A-Za-z0-9_-]{10,}|password|client-secret|accountkey=/i);
    }
    // Nothing ever reads a secret or a token.
    const commands = calls.map((c) => c.join(' '));
    expect(commands.filter((c) => /keyvault secret|get-access-token|list-keys|keys list|--show-secrets/.test(c))).toEqual([]);
    // The URL is not in any file the deploy wrote (zips, dist/) nor in the recorded calls.
    for (const file of await allFiles(world.root)) {
      if ((await stat(file)).size > 50_000_000) continue;
      expect((await readFile(file)).includes(WEBHOOK_SIG), file).toBe(false);
    }
    expect(await readFile(world.logPath, 'utf8')).not.toContain(WEBHOOK_SIG);
  });

  it('the signing key is created inside the deployment: its value is never a parameter', async () => {
    await world.deploy();
    const state = await world.state();
    const parameters = Object.keys(state.deployments[0].properties.parameters as object);
    expect(parameters.filter((p) => /key|secret|password/i.test(p) && p !== 'createStatusSigningKey')).toEqual([]);
  });
});

describe('sign-in and tenant', () => {
  it('not signed in: stops at the first step and says to run az login, having changed nothing', async () => {
    await world.update((s) => {
      s.loggedIn = false;
    });
    const { code, err } = await world.deploy();
    expect(code).toBe(1);
    expect(err[0]).toBe('FAILED: Signed in to Azure, subscription chosen: an Azure CLI command failed');
    expect(err.at(-1)).toContain('az login --tenant');
    expect((await world.calls()).filter(isChange)).toEqual([]);
  });

  it('refuses a --subscription in another tenant than the CLI works in (app registrations would go elsewhere)', async () => {
    const { code, err } = await world.deploy([...BASE_ARGS, '--subscription', 'Other tenant']);
    expect(code).toBe(1);
    expect(err[0]).toContain('is in tenant ffffffff-bbbb-cccc-dddd-eeeeeeeeeeee, but the Azure CLI is working in tenant aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee');
    expect(err.at(-1)).toContain("az account set --subscription 99999999-2222-3333-4444-555555555555");
    expect((await world.calls()).filter(isChange)).toEqual([]);
  });

  it('refuses to deploy a second customer into a resource group that holds another one', async () => {
    await world.deploy();
    const fabrikam = BASE_ARGS.map((a) => (a === 'Contoso' ? 'Fabrikam' : a));
    const { code, err } = await world.deploy(fabrikam);
    expect(code).toBe(1);
    expect(err[0]).toContain("already holds the runner for short name 'contoso', not 'fabrikam'");
  });

  it('--what-if shows Azure’s what-if before the deployment (and --yes applies it)', async () => {
    const { code, out } = await world.deploy([...BASE_ARGS, '--what-if']);
    expect(code).toBe(0);
    const labels = (await world.calls()).map(label);
    expect(labels.indexOf('deployment group what-if')).toBeLessThan(labels.indexOf('deployment group create'));
    expect(out.some((l) => l.includes('Resource changes: 14 to create.'))).toBe(true);
  });

  it('an existing app registration can be named with --helpers-app-id; a wrong id is refused', async () => {
    const { code, err } = await world.deploy([...BASE_ARGS, '--helpers-app-id', '12345678-1234-1234-1234-123456789abc']);
    expect(code).toBe(1);
    expect(err[0]).toContain('No app registration with client id 12345678-1234-1234-1234-123456789abc');
  });
});
