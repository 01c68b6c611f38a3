import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAutomationStandIn, type AutomationStandIn } from '../../../local/standins/automation/index.js';
import { startGraphStandIn, type GraphStandIn } from '../../../local/standins/graph/index.js';
import { mintLocalToken } from '../../../local/standins/identity/token.js';
import { describeWithTools } from '../../support/tools.js';
import { graphToken } from '../graph/helpers.js';

/**
 * One tenant behind the Graph and Automation stand-ins (local/standins/automation/tenant-link.ts): a runbook's
 * change is what Graph shows afterwards, as in a real tenant, through both runbook engines.
 * Sources: DL / mail-enabled security group members are listed by Graph
 * (https://learn.microsoft.com/graph/api/group-list-members); HiddenFromAddressListsEnabled is user
 * showInAddressList (https://learn.microsoft.com/graph/api/resources/user); a shared mailbox is mailboxSettings
 * userPurpose "shared" (https://learn.microsoft.com/graph/api/resources/mailboxsettings); auto-replies are
 * mailboxSettings automaticRepliesSetting (https://learn.microsoft.com/graph/api/resources/automaticrepliessetting).
 */

const ACCOUNT = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Automation/automationAccounts/aa';
const armHeaders = { authorization: `Bearer ${mintLocalToken({ aud: 'https://management.azure.com/', oid: 'shared-tenant-test' })}`, 'content-type': 'application/json' };

async function runJob(aa: AutomationStandIn, name: string, runbook: string, parameters: Record<string, string>): Promise<string> {
  const url = `${aa.url}${ACCOUNT}/jobs/${name}?api-version=2023-11-01`;
  const put = await fetch(url, { method: 'PUT', headers: armHeaders, body: JSON.stringify({ properties: { runbook: { name: runbook }, parameters } }) });
  expect(put.status).toBe(201);
  for (;;) {
    const { properties } = (await (await fetch(url, { headers: armHeaders })).json()) as { properties: { status: string; exception: string | null } };
    if (['Completed', 'Failed', 'Stopped'].includes(properties.status)) return `${properties.status}${properties.exception ? `: ${properties.exception}` : ''}`;
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function graphGet<T>(graph: GraphStandIn, path: string): Promise<T> {
  const res = await fetch(`${graph.url}/v1.0${path}`, { headers: { authorization: `Bearer ${graphToken()}` } });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

function sharedTenantSuite(engine: 'typescript' | 'pwsh'): void {
  let graph: GraphStandIn;
  let aa: AutomationStandIn;
  let job = 0;
  const userId = (upn: string) => graph.admin.tenant().users.find((u) => u.userPrincipalName === upn)?.id as string;
  const groupId = (mail: string) => graph.admin.tenant().groups.find((g) => g.mail === mail)?.id as string;

  beforeAll(async () => {
    graph = await startGraphStandIn();
    aa = await startAutomationStandIn({ runbookEngine: engine, jobLatencyMs: 5, tenant: graph.tenantState });
  });
  afterAll(async () => {
    await aa?.stop();
    await graph?.stop();
  });

  it('a runbook removing a user from a distribution list: Graph GET /groups/{id}/members no longer lists them (Learn: group-list-members)', async () => {
    const members = async () => (await graphGet<{ value: Array<{ id: string }> }>(graph, `/groups/${groupId('finance-mesg@contoso.com')}/members`)).value.map((m) => m.id);
    expect(await members()).toContain(userId('emily.braun@contoso.com'));
    expect(await runJob(aa, `dl-${engine}-${job++}`, 'Set-DistributionGroupMember', { GroupIdentity: 'finance-mesg@contoso.com', MemberEmail: 'emily.braun@contoso.com', Action: 'Remove' })).toBe('Completed');
    expect(await members()).not.toContain(userId('emily.braun@contoso.com'));
    // ...and back through Exchange: the add shows in Graph as well.
    expect(await runJob(aa, `dl-${engine}-${job++}`, 'Set-DistributionGroupMember', { GroupIdentity: 'finance-mesg@contoso.com', MemberEmail: 'emily.braun@contoso.com', Action: 'Add' })).toBe('Completed');
    expect(await members()).toContain(userId('emily.braun@contoso.com'));
  });

  it('a runbook hiding a mailbox: Graph user shows showInAddressList false (Learn: user resource, showInAddressList)', async () => {
    const upn = 'diego.siciliani@contoso.com';
    const show = async () => (await graphGet<{ showInAddressList: boolean | null }>(graph, `/users/${userId(upn)}?$select=showInAddressList`)).showInAddressList;
    expect(await show()).toBe(true);
    expect(await runJob(aa, `hide-${engine}-${job++}`, 'Set-MailboxOffboarding', { UserPrincipalName: upn, HideFromAddressList: 'True', AutoReplyMessage: 'Diego has left.' })).toBe('Completed');
    expect(await show()).toBe(false);
    const settings = await graphGet<{ automaticRepliesSetting: { status: string; internalReplyMessage: string } }>(graph, `/users/${userId(upn)}/mailboxSettings`);
    expect(settings.automaticRepliesSetting).toMatchObject({ status: 'alwaysEnabled', internalReplyMessage: '<html><body>Diego has left.</body></html>' });
  });

  it('a runbook converting to a shared mailbox: Graph mailboxSettings userPurpose is "shared" (Learn: mailboxSettings, userPurpose)', async () => {
    const upn = 'nestor.wilke@contoso.com';
    const purpose = async () => (await graphGet<{ userPurpose: string }>(graph, `/users/${userId(upn)}/mailboxSettings`)).userPurpose;
    expect(await purpose()).toBe('user');
    expect(await runJob(aa, `shared-${engine}-${job++}`, 'Convert-ToSharedMailbox', { UserPrincipalName: upn })).toBe('Completed');
    expect(await purpose()).toBe('shared');
  });

  it('the admin APIs show the same state: /_admin/exchange and /_admin/tenant agree after a Graph-side change', async () => {
    // A Graph reset puts the tenant back; Exchange follows without being told.
    graph.admin.reset();
    const exchange = (await (await fetch(`${aa.url}/_admin/exchange`)).json()) as { Mailboxes: Array<{ PrimarySmtpAddress: string; RecipientTypeDetails: string; HiddenFromAddressListsEnabled: boolean }> };
    const tenant = (await (await fetch(`${graph.url}/_admin/tenant`)).json()) as { users: Array<{ mail?: string | null; mailbox?: { type: string; hiddenFromAddressLists: boolean } | null }> };
    const nestor = exchange.Mailboxes.find((m) => m.PrimarySmtpAddress === 'nestor.wilke@contoso.com');
    expect(nestor).toMatchObject({ RecipientTypeDetails: 'UserMailbox', HiddenFromAddressListsEnabled: false });
    expect(tenant.users.find((u) => u.mail === 'nestor.wilke@contoso.com')?.mailbox).toMatchObject({ type: 'user', hiddenFromAddressLists: false });
  });
}

describe('one tenant behind Graph and Exchange (TypeScript runbook models)', () => sharedTenantSuite('typescript'));
// The real runbooks/*.ps1 under pwsh, through the stub module and /cmdlet (CI always runs this).
describeWithTools('pwsh')('one tenant behind Graph and Exchange (pwsh runbooks)', () => sharedTenantSuite('pwsh'));

describe('Exchange-only facts stay in the Exchange model (Graph v1.0 has no Full Access / Send As / forwarding property)', () => {
  it('an Automation stand-in without a shared tenant owns its whole model', async () => {
    const aa = await startAutomationStandIn({ runbookEngine: 'typescript', jobLatencyMs: 5 });
    try {
      expect(aa.exchange.sharesTenant).toBe(false);
      aa.exchange.removeGroupMember('finance-mesg@contoso.com', 'emily.braun@contoso.com');
      expect(aa.exchange.getGroupMembers('finance-mesg@contoso.com')).not.toContain('emily.braun@contoso.com');
    } finally {
      await aa.stop();
    }
  });
});
