import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_ARGS, commandOf, createWorld, isChange, label, type FakeAzWorld, type FakeState } from './support.js';

/**
 * Issue 8: "Re-running it changes nothing that is already right and never wipes settings". An admin adds app
 * settings by hand in the portal; `npm run deploy` runs again with a changed option, so the Bicep deployment is
 * applied again. The stand-in applies app settings the way infra/main.bicep declares them (fake-az.mjs header;
 * test/infra/main-template.test.ts checks the compiled template declares exactly that): a settings list sent with
 * the Logic App's site replaces every setting, and each app's `config/appsettings` is union(current, managed).
 * What only a real Azure deployment can prove is listed in infra/README.md ("App settings: merged, never replaced").
 */
const SLOW = { timeout: 600_000 };

interface Site {
  appSettings?: Record<string, string>;
  siteLevelSettingsWrites?: number;
  contentShareMissing?: boolean;
}

function sites(state: FakeState): { logicApp: Site; helpers: Site; logicAppName: string; helpersName: string } {
  const entries = Object.entries(state.sites as Record<string, Site>);
  const [logicAppName, logicApp] = entries.find(([n]) => n.startsWith('logic-')) ?? ['', {}];
  const [helpersName, helpers] = entries.find(([n]) => n.startsWith('func-')) ?? ['', {}];
  return { logicApp, helpers, logicAppName, helpersName };
}

function parameterArgs(call: readonly string[]): string[] {
  const at = call.indexOf('--parameters');
  const out: string[] = [];
  for (let i = at + 1; i < call.length && !call[i]!.startsWith('-'); i++) out.push(call[i]!);
  return out;
}

const HAND_ADDED = { WEBSITE_TIME_ZONE: 'W. Europe Standard Time', APPLICATIONINSIGHTS_SAMPLING_PERCENTAGE: '25' };

describe('settings an admin added by hand survive npm run deploy', SLOW, () => {
  let world: FakeAzWorld;
  let afterFirst: FakeState;

  beforeAll(async () => {
    world = await createWorld();
    const first = await world.deploy([...BASE_ARGS, '--protected-groups', 'Domain Admins']);
    expect(first.err).toEqual([]);
    afterFirst = await world.state();
  }, 600_000);
  afterAll(async () => {
    await world.cleanup();
  });

  it('first run: the new Logic App gets its settings with the site (its content share is created then), then both apps get the merge', async () => {
    const { logicApp, helpers } = sites(afterFirst);
    expect(logicApp.contentShareMissing).toBeUndefined();
    expect(logicApp.siteLevelSettingsWrites).toBe(1);
    expect(logicApp.appSettings).toMatchObject({ APP_KIND: 'workflowApp', DEFAULT_USAGE_LOCATION: 'US' });
    expect(helpers.appSettings).toMatchObject({ PROTECTED_GROUPS: 'Domain Admins', GRAPH_AUTH_MODE: 'managed-identity' });
    const create = (await world.calls()).find((c) => commandOf(c) === 'deployment group create')!;
    expect(parameterArgs(create)).toContain('logicAppExists=false');
  });

  it('a redeployment with a changed option keeps every setting added by hand, and changes the managed ones', async () => {
    await world.update((s) => {
      const { logicApp, helpers } = sites(s);
      Object.assign(logicApp.appSettings!, HAND_ADDED);
      Object.assign(helpers.appSettings!, HAND_ADDED);
    });
    await world.clearLog();
    const run = await world.deploy([...BASE_ARGS, '--default-usage-location', 'GB']);
    expect(run.err).toEqual([]);
    const calls = await world.calls();
    expect(calls.filter(isChange).map(label)).toContain('deployment group create');

    const { logicApp, helpers } = sites(await world.state());
    for (const site of [logicApp, helpers]) {
      expect(site.appSettings).toMatchObject(HAND_ADDED);
      expect(site.appSettings?.DEFAULT_USAGE_LOCATION).toBe('GB');
    }
    // The option left out keeps the value of the last deployment (scripts/deploy/README.md).
    expect(helpers.appSettings?.PROTECTED_GROUPS).toBe('Domain Admins');
    // No second settings list with the site: that is what would have replaced the hand-added settings.
    expect(logicApp.siteLevelSettingsWrites).toBe(1);
    expect(logicApp.contentShareMissing).toBeUndefined();
  });

  it('passes no parameter that would clear settings: logicAppExists=true once the Logic App exists, no settings or secrets as parameters', async () => {
    const create = (await world.calls()).find((c) => commandOf(c) === 'deployment group create')!;
    const params = parameterArgs(create);
    expect(params).toContain('logicAppExists=true');
    expect(params.map((p) => p.slice(0, p.indexOf('='))).sort()).toEqual(
      [
        'baseName',
        'createStatusSigningKey',
        'defaultUsageLocation',
        'exchangeOrganization',
        'helpersAppClientId',
        'location',
        'logicAppExists',
        'notificationEmail',
        'protectedGroups',
      ].sort(),
    );
    // createStatusSigningKey only says whether to create the key; its value is generated inside the template.
    expect(params.filter((p) => !p.startsWith('createStatusSigningKey=')).join(' ')).not.toMatch(/appSettings|AccountKey|secret|password|signing/i);
    expect(params).toContain('createStatusSigningKey=false');
  });

  it('a re-run with nothing changed applies nothing, and the settings stay as they are', async () => {
    const before = await world.state();
    await world.clearLog();
    const run = await world.deploy(BASE_ARGS);
    expect(run.code).toBe(0);
    expect((await world.calls()).filter(isChange).map(label)).toEqual([]);
    expect((await world.state()).sites).toEqual(before.sites);
  });

  it('--what-if shows a managed setting changed in the portal by name only (never a value), then puts the deploy value back and keeps the rest', async () => {
    await world.update((s) => {
      sites(s).helpers.appSettings!.PROTECTED_GROUPS = 'Edited in the portal';
      s.storageKey = 'rotatedStorageKeyABCDEFGH=='; // the Logic App's storage connection string changes with it
    });
    await world.clearLog();
    const run = await world.deploy([...BASE_ARGS, '--what-if']);
    expect(run.code).toBe(0);
    const { logicAppName, helpersName } = sites(await world.state());
    expect(run.out).toContain(`      ~ Modify      Microsoft.Web/sites/${helpersName}/config/appsettings (properties.PROTECTED_GROUPS)`);
    expect(run.out).toContain(`      ~ Modify      Microsoft.Web/sites/${logicAppName}/config/appsettings (properties.AzureWebJobsStorage)`);
    const printed = [...run.out, ...run.err].join('\n');
    expect(printed).not.toMatch(/AccountKey|rotatedStorageKey|fakeStorageKey|Edited in the portal/);
    const calls = (await world.calls()).map(label);
    expect(calls.indexOf('deployment group what-if')).toBeLessThan(calls.indexOf('deployment group create'));

    const { logicApp, helpers } = sites(await world.state());
    expect(helpers.appSettings?.PROTECTED_GROUPS).toBe('Domain Admins');
    expect(logicApp.appSettings?.AzureWebJobsStorage).toContain('rotatedStorageKeyABCDEFGH==');
    for (const site of [logicApp, helpers]) expect(site.appSettings).toMatchObject(HAND_ADDED);
  });

  it('control: the stand-in does model the replace; a deployment run by hand with logicAppExists left false wipes the hand-added settings', async () => {
    const deployment = (await world.state()).deployments.at(-1);
    const given = Object.entries(deployment.properties.parameters as Record<string, { value: unknown }>)
      .filter(([k]) => k !== 'logicAppExists')
      .map(([k, p]) => `${k}=${typeof p.value === 'string' ? p.value : JSON.stringify(p.value)}`);
    const { code } = await world.az([
      'deployment', 'group', 'create', '--name', 'by-hand', '--resource-group', 'rg-thread-contoso',
      '--subscription', '11111111-2222-3333-4444-555555555555', '--template-file', 'infra/main.bicep',
      '--parameters', ...given, '--only-show-errors', '-o', 'json',
    ]);
    expect(code).toBe(0);
    const { logicApp, helpers } = sites(await world.state());
    expect(logicApp.appSettings).not.toHaveProperty('WEBSITE_TIME_ZONE');
    expect(logicApp.siteLevelSettingsWrites).toBe(2);
    expect(helpers.appSettings).toMatchObject(HAND_ADDED); // the helpers never get a settings list with the site
  });
});

describe('a first deployment into a resource group where the Logic App is gone', SLOW, () => {
  let world: FakeAzWorld;
  beforeAll(async () => {
    world = await createWorld();
  });
  afterAll(async () => {
    await world.cleanup();
  });

  it('sends the settings with the new site again (logicAppExists=false), even though an earlier deployment succeeded', async () => {
    expect((await world.deploy()).code).toBe(0);
    await world.update((s) => {
      const { logicAppName } = sites(s);
      for (const id of Object.keys(s.resources)) if (id.endsWith(`/microsoft.web/sites/${logicAppName}`)) delete s.resources[id];
      delete s.sites[logicAppName];
    });
    await world.clearLog();
    const run = await world.deploy();
    expect(run.err).toEqual([]);
    const create = (await world.calls()).find((c) => commandOf(c) === 'deployment group create');
    expect(create && parameterArgs(create)).toContain('logicAppExists=false');
    const { logicApp } = sites(await world.state());
    expect(logicApp.contentShareMissing).toBeUndefined();
    expect(logicApp.appSettings).toMatchObject({ APP_KIND: 'workflowApp' });
  });
});
