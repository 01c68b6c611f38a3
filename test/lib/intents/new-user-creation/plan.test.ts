import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../../lib/errors/app-error.js';
import { createGraphClient, type GraphClient } from '../../../../lib/graph/client.js';
import { planNewUserCreation, type NewUserCreationFields, type NewUserPlanInput } from '../../../../lib/intents/new-user-creation/plan.js';
import { startGraphStandIn, type GraphStandIn } from '../../../../local/standins/graph/index.js';
import { mintLocalToken } from '../../../../local/standins/identity/token.js';

/** The new-user plan against the Graph stand-in's default tenant (contoso): read-only, refusals first. */
let graphStandIn: GraphStandIn;
let graph: GraphClient;
const lastSeq = () => graphStandIn.admin.requests().at(-1)?.seq ?? 0;

function input(fields: Partial<NewUserCreationFields>, extra: Partial<NewUserPlanInput> = {}): NewUserPlanInput {
  return { fields: { displayName: 'New Person', userPrincipalName: 'new.person@contoso.com', groupNames: [], ...fields }, protectedGroups: [], defaultUsageLocation: 'US', ...extra };
}

async function refusal(i: NewUserPlanInput): Promise<AppError> {
  const err = await planNewUserCreation(graph, i).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

beforeAll(async () => {
  graphStandIn = await startGraphStandIn();
  const token = mintLocalToken({ aud: 'https://graph.microsoft.com', oid: '6a1f4c3e-0b7d-4e55-9c1a-2f8e7d6c5b4a', roles: ['User.Read.All', 'Directory.Read.All'] });
  graph = createGraphClient({ baseUrl: graphStandIn.url, token: async () => token, retry: { sleep: async () => undefined } });
});

afterEach(() => graphStandIn.admin.reset());

afterAll(async () => {
  await graphStandIn.stop();
});

describe('planNewUserCreation', () => {
  it('plans creation, licence, manager and groups with reads only', async () => {
    const seq = lastSeq();
    const plan = await planNewUserCreation(graph, input({ license: 'SPB', managerEmail: 'adele.vance@contoso.com', groupNames: ['Sales Team', 'All Staff', 'All Users'], usageLocation: 'gb', firstName: 'New' }));
    expect(plan.create).toBe(true);
    expect(plan.createBody).toEqual({ accountEnabled: true, displayName: 'New Person', userPrincipalName: 'new.person@contoso.com', mailNickname: 'new.person', givenName: 'New', usageLocation: 'GB' });
    expect(plan.license).toMatchObject({ skuPartNumber: 'SPB', change: 'assign' });
    expect(plan.manager?.userPrincipalName).toBe('adele.vance@contoso.com');
    expect(plan.groups.map((g) => [g.name, g.decision])).toEqual([
      ['Sales Team', 'graph'],
      ['All Staff', 'exchange'],
      ['All Users', 'refused'],
    ]);
    expect(plan.exchangeChanges[0]).toMatchObject({ groupIdentity: 'all-staff@contoso.com', memberEmail: 'new.person@contoso.com', action: 'Add' });
    expect(plan.changes.map((c) => c.step)).toEqual(['create_user:new.person@contoso.com', 'set_manager:new.person@contoso.com', 'assign_license:Microsoft 365 Business Premium', 'add_member:Sales Team', 'add_member:All Staff']);
    expect(plan.longRunning).toBe(true);
    expect(plan.progressSteps.map((p) => `${p.name}=${p.status}`)).toEqual([
      'create_user:new.person@contoso.com=succeeded',
      'set_manager:new.person@contoso.com=planned',
      'assign_license:Microsoft 365 Business Premium=planned',
      'add_member:Sales Team=planned',
      'add_member:All Staff=planned',
      'add_member:All Users=failed',
    ]);
    expect(JSON.stringify(plan)).not.toMatch(/password"/i);
    expect(graphStandIn.admin.requests(seq).filter((r) => r.method !== 'GET' && !r.path.endsWith('/$batch'))).toEqual([]);
  });

  it('falls back to the default usage location, and refuses a licence without any', async () => {
    expect((await planNewUserCreation(graph, input({ license: 'SPB' }))).createBody.usageLocation).toBe('US');
    const err = await refusal(input({ license: 'SPB' }, { defaultUsageLocation: undefined }));
    expect(err).toMatchObject({ code: 'refused', step: 'check_usage_location' });
    // Without a licence no usage location is needed.
    expect((await planNewUserCreation(graph, input({}, { defaultUsageLocation: undefined }))).createBody).not.toHaveProperty('usageLocation');
  });

  it('refuses a UPN held by another person, naming them', async () => {
    const err = await refusal(input({ userPrincipalName: 'adele.vance@contoso.com', displayName: 'Someone Else' }));
    expect(err.code).toBe('conflict');
    expect(err.message).toMatch(/^A user with this sign-in name already exists: adele\.vance@contoso\.com \(Adele Vance\)\.$/);
  });

  it('refuses an alias already used by another account', async () => {
    const err = await refusal(input({ userPrincipalName: 'adele.vance@contoso.onmicrosoft.com', displayName: 'Adele V' }));
    expect(err.code).toBe('conflict');
    expect(err.message).toContain('Adele Vance');
  });

  it('treats the same UPN and display name as the account an earlier run created', async () => {
    const plan = await planNewUserCreation(graph, input({ userPrincipalName: 'adele.vance@contoso.com', displayName: ' adele  VANCE ' }));
    expect(plan.create).toBe(false);
    expect(plan.existingUser?.userPrincipalName).toBe('adele.vance@contoso.com');
    expect(plan.changes.map((c) => c.step)).not.toContain('create_user:adele.vance@contoso.com');
  });

  it('refuses an unverified domain, an unknown manager, no free seats, and an unusable alias', async () => {
    expect(await refusal(input({ userPrincipalName: 'x@contoso-labs.com' }))).toMatchObject({ code: 'validation_failed', step: 'check_domain' });
    expect(await refusal(input({ managerEmail: 'nobody.here@contoso.com' }))).toMatchObject({ code: 'not_found', step: 'resolve_manager' });
    expect(await refusal(input({ userPrincipalName: '()@contoso.com' }))).toMatchObject({ code: 'refused', step: 'check_mail_nickname' });
    const fixture = graphStandIn.admin.tenant() as unknown as { subscribedSkus: Array<{ skuPartNumber: string; prepaidUnits: { enabled: number } }> };
    fixture.subscribedSkus.find((s) => s.skuPartNumber === 'EXCHANGESTANDARD')!.prepaidUnits.enabled = 0;
    graphStandIn.admin.loadTenant(fixture);
    expect(await refusal(input({ license: 'EXCHANGESTANDARD' }))).toMatchObject({ code: 'quota_exceeded', step: 'check_seats' });
  });
});
