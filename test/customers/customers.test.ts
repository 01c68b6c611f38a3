import { readFile } from 'node:fs/promises';
import { delimiter } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AzCliRunner } from '../../scripts/deploy/az-cli.js';
import { customers, type CustomerDependencies } from '../../scripts/customers/main.js';
import type { TenantVerification } from '../../scripts/customers/verification.js';
import { keyVerifier } from '../../scripts/customers/webhook-key.js';
import { adminConsentUrl } from '../../scripts/customers/admin-steps.js';
import { tenantIdFromIssuer } from '../../scripts/customers/tenant.js';
import { createWorld, FAKE_AZ_DIR, isChange, label, MSP_ARGS, type FakeAzWorld } from '../deploy/support.js';

/**
 * npm run customer:add / remove / list (issue 13) against the recording fake az, after an msp-mode deployment, with
 * a stub for the tenant lookup and a fake verification (the real one asks the deployed helpers).
 */
const CONTOSO_TENANT = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const ALL_APP_ROLES = [
  '741f803b-c850-494e-b5df-cde7c675a1ca',
  '62a82d76-70ea-41e2-9197-370581804d09',
  '77f3a031-c388-4f99-b373-dc68676a979e',
  '50483e42-d915-4231-9639-7fdb7fd190e5',
  '7ab1d382-f21e-4acd-a863-ba3e13f7da61',
  '38d9df27-64da-44fd-b7c5-a6fbac20248f',
  '40f97065-369a-49f4-947c-6a255697ae91',
  'dc50a0fb-09a3-484d-be87-e023b12c6440',
];
const USER_ADMIN = 'fe930be7-5e62-47db-91af-98c3a49a38b1';
const EXCHANGE_RECIPIENT_ADMIN = '31392ffb-586c-42d1-9346-e59415a2cc4e';

let world: FakeAzWorld;
let mspAppId: string;
const RG = ['--resource-group', 'rg-thread-msp'];

function consented(overrides: Partial<TenantVerification> = {}): TenantVerification {
  return {
    consented: true,
    grantedAppRoleIds: ALL_APP_ROLES,
    assignedDirectoryRoleIds: [],
    initialDomain: 'contosocorp.onmicrosoft.com',
    verifiedDomains: ['contoso.com', 'contosocorp.onmicrosoft.com'],
    ...overrides,
  };
}

async function run(command: 'add' | 'remove' | 'list', argv: string[], extra: Partial<CustomerDependencies> = {}) {
  const out: string[] = [];
  const resolved: string[] = [];
  const consentUrls: string[] = [];
  const env = { ...process.env, PATH: `${FAKE_AZ_DIR}${delimiter}${process.env.PATH ?? ''}`, FAKE_AZ_STATE: world.statePath, FAKE_AZ_LOG: world.logPath };
  const code = await customers(command, argv, {
    root: world.root,
    out: (l) => out.push(l),
    run: new AzCliRunner({ cwd: world.root, env }),
    resolveTenant: (t) => {
      resolved.push(t);
      return Promise.resolve(CONTOSO_TENANT);
    },
    verify: () => Promise.resolve(consented()),
    waitForConsent: (url) => {
      consentUrls.push(url);
      return Promise.resolve();
    },
    now: () => new Date('2026-12-06T10:00:00Z'),
    ...extra,
  });
  return { code, out, text: out.join('\n'), resolved, consentUrls };
}

beforeAll(async () => {
  world = await createWorld();
  const deployed = await world.deploy(MSP_ARGS);
  expect(deployed.code).toBe(0);
  const state = await world.state();
  mspAppId = state.apps.find((a: { displayName: string }) => a.displayName === 'Thread intent runner (fabrikammsp)').appId;
}, 120_000);
afterAll(() => world.cleanup());

describe('customer:add', () => {
  let added: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    await world.clearLog();
    added = await run('add', [...RG, '--name', 'Contoso Corp', '--tenant', 'contoso.com']);
  });

  // https://learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent#construct-the-url-for-granting-tenant-wide-admin-consent
  it("resolves the domain, prints the admin-consent URL for the customer's tenant and the msp app, and waits for it", () => {
    expect(added.code).toBe(0);
    expect(added.resolved).toEqual(['contoso.com']);
    const url = `https://login.microsoftonline.com/${CONTOSO_TENANT}/adminconsent?client_id=${mspAppId}`;
    expect(adminConsentUrl(CONTOSO_TENANT, mspAppId)).toBe(url);
    expect(added.consentUrls).toEqual([url]);
    expect(added.out).toContain(`   ${url}`);
    expect(added.text).toContain('Consent verified: all 8 application permissions');
  });

  it('says exactly what the admin must still do: the two directory roles, with the portal path, Graph PowerShell and az commands', () => {
    expect(added.text).toContain('STILL TO DO');
    for (const id of [USER_ADMIN, EXCHANGE_RECIPIENT_ADMIN]) {
      expect(added.text).toContain(`New-MgRoleManagementDirectoryRoleAssignment -PrincipalId $sp.Id -RoleDefinitionId ${id} -DirectoryScopeId "/"`);
      expect(added.text).toContain(`\\"roleDefinitionId\\":\\"${id}\\"`);
    }
    expect(added.text).toContain('User Administrator');
    expect(added.text).toContain('Exchange Recipient Administrator');
    expect(added.text).toContain('Roles & admins');
    expect(added.text).toContain(`Connect-MgGraph -TenantId ${CONTOSO_TENANT}`);
  });

  it('records the customer with the key verifier only, and prints the URL with the key once', async () => {
    const state = await world.state();
    const table = Object.entries(state.tables ?? {}).find(([k]) => k.endsWith('/customers'))?.[1] as Array<Record<string, string>>;
    expect(table).toHaveLength(1);
    const row = table[0]!;
    expect(row).toMatchObject({ PartitionKey: 'customer', RowKey: 'contosocorp', DisplayName: 'Contoso Corp', TenantId: CONTOSO_TENANT, Status: 'active', ExchangeOrganization: 'contosocorp.onmicrosoft.com', Domains: 'contoso.com,contosocorp.onmicrosoft.com' });
    const urlLine = added.out.at(-1) ?? '';
    const url = new URL(urlLine);
    expect(url.pathname).toMatch(/\/api\/thread-webhook\/triggers\/manual\/invoke$/);
    expect(url.searchParams.get('customer')).toBe('contosocorp');
    const key = url.searchParams.get('customerKey') ?? '';
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(row.WebhookKeyHash).toBe(keyVerifier(key));
    // The key is in no az argument and in no file the fake wrote; only in the one printed line.
    const calls = (await world.calls()).map((c) => c.join(' '));
    for (const call of calls) expect(call).not.toContain(key);
    expect(await readFile(world.statePath, 'utf8')).not.toContain(key);
    expect(added.out.filter((l) => l.includes(key))).toHaveLength(1);
  });

  it('changes only the registry (no grant, no app change in the MSP tenant)', async () => {
    expect((await world.calls()).filter(isChange).map(label)).toEqual(['storage entity insert']);
  });

  it('run again for the same tenant: verifies again, records nothing new, shows no new URL', async () => {
    await world.clearLog();
    const again = await run('add', [...RG, '--name', 'Contoso Corp', '--tenant', CONTOSO_TENANT], {
      verify: () => Promise.resolve(consented({ assignedDirectoryRoleIds: [USER_ADMIN, EXCHANGE_RECIPIENT_ADMIN] })),
    });
    expect(again.code).toBe(0);
    expect(again.text).toContain('Directory roles verified: User Administrator, Exchange Recipient Administrator.');
    expect(again.text).toContain("Already onboarded as 'contosocorp'");
    expect(again.text).not.toContain('customerKey');
    expect((await world.calls()).filter(isChange)).toEqual([]);
  });

  it('without consent: stops, records nothing, and says to open the URL again', async () => {
    await world.clearLog();
    const refused = await run('add', [...RG, '--name', 'Northwind', '--tenant', 'northwind.example'], {
      resolveTenant: () => Promise.resolve('11111111-aaaa-bbbb-cccc-222222222222'),
      verify: () => Promise.resolve(consented({ consented: false, grantedAppRoleIds: [] })),
    });
    expect(refused.code).toBe(1);
    expect(refused.text).toContain('has not consented');
    expect(refused.text).toContain('adminconsent?client_id=');
    expect((await world.calls()).filter(isChange)).toEqual([]);
  });

  it('refuses a bad --tenant before anything runs', async () => {
    const bad = await run('add', [...RG, '--name', 'X', '--tenant', 'not a domain']);
    expect(bad.code).toBe(2);
    expect(bad.text).toContain("--tenant 'not a domain' is neither a tenant id");
  });
});

describe('customer:list and customer:remove', () => {
  it('lists the customers as a table', async () => {
    const listed = await run('list', RG);
    expect(listed.code).toBe(0);
    expect(listed.out[0]).toMatch(/^ID\s+NAME\s+TENANT\s+EXCHANGE ORGANIZATION\s+STATUS\s+ADDED$/);
    expect(listed.out[1]).toMatch(/^contosocorp\s+Contoso Corp\s+0f1e2d3c-.*\s+active\s+2026-12-06$/);
    expect(listed.out.at(-1)).toBe('1 active, 0 removed.');
  });

  it("marks the customer removed and prints the admin's clean-up (delete the enterprise app); a second remove changes nothing", async () => {
    await world.clearLog();
    const removed = await run('remove', [...RG, '--id', 'contosocorp']);
    expect(removed.code).toBe(0);
    expect(removed.text).toContain('refused from now on');
    expect(removed.text).toContain(`az ad sp delete --id ${mspAppId}`);
    expect(removed.text).toContain('Enterprise applications');
    expect((await world.calls()).filter(isChange).map(label)).toEqual(['storage entity merge']);
    const state = await world.state();
    const row = (Object.values(state.tables)[0] as Array<Record<string, string>>)[0]!;
    expect(row).toMatchObject({ Status: 'removed', RemovedAt: '2026-12-06T10:00:00.000Z' });
    await world.clearLog();
    const again = await run('remove', [...RG, '--id', 'contosocorp']);
    expect(again.text).toContain('already removed');
    expect((await world.calls()).filter(isChange)).toEqual([]);
    expect((await run('list', RG)).out.at(-1)).toBe('0 active, 1 removed.');
  });

  it('an unknown id is refused with where to find the ids', async () => {
    const unknown = await run('remove', [...RG, '--id', 'fabrikam']);
    expect(unknown.code).toBe(1);
    expect(unknown.text).toContain('npm run customer:list shows the ids');
  });
});

// https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc (issuer of the OpenID configuration)
describe('tenant lookup', () => {
  it('reads the tenant id from the issuer of the OpenID configuration', () => {
    expect(tenantIdFromIssuer(`https://login.microsoftonline.com/${CONTOSO_TENANT}/v2.0`)).toBe(CONTOSO_TENANT);
    expect(tenantIdFromIssuer('https://sts.windows.net/x/')).toBeUndefined();
  });
});
