import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAutomationStandIn, type AutomationStandIn } from '../../../local/standins/automation/index.js';
import { mintLocalToken } from '../../../local/standins/identity/token.js';

/**
 * The /connect and /cmdlet endpoints the stub ExchangeOnlineManagement module calls (docs/exchange-stand-in.md,
 * "Cmdlet protocol"), exercised over HTTP as the module does. Cmdlet behaviour is from each cmdlet's
 * Microsoft Learn page (https://learn.microsoft.com/powershell/module/exchange/<cmdlet>).
 */

const PRINCIPAL = '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';
const APP = 'aa11bb22-cc33-4d44-8e55-ff6677889900';
let aa: AutomationStandIn;

function token(roles: string[] = ['Exchange.ManageAsApp'], oid = PRINCIPAL, aud = 'https://outlook.office365.com/'): string {
  return mintLocalToken({ aud, oid, appid: APP, roles });
}

async function post(path: '/connect' | '/cmdlet', body: unknown, bearer: string | null = token()): Promise<{ status: number; json: Record<string, any> }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  const res = await fetch(`${aa.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

const connect = (bearer?: string | null, organization = 'contoso.onmicrosoft.com') => post('/connect', { organization, managedIdentity: true }, bearer);
const cmdlet = (name: string, parameters: Record<string, unknown> = {}, bearer?: string) => post('/cmdlet', { cmdlet: name, parameters }, bearer);

beforeAll(async () => {
  aa = await startAutomationStandIn({
    runbookEngine: 'typescript',
    exchangeRoleHolders: { [PRINCIPAL]: ['Exchange Administrator'], 'reader-0000': ['Global Reader'], 'nobody-0000': ['User Administrator'] },
  });
});
afterAll(() => aa.stop());
beforeEach(async () => {
  await fetch(`${aa.url}/_admin/reset`, { method: 'POST' });
});

describe('POST /connect (Connect-ExchangeOnline -ManagedIdentity)', () => {
  it('accepts Exchange.ManageAsApp plus a supported Entra role (https://learn.microsoft.com/powershell/exchange/app-only-auth-powershell-v2)', async () => {
    expect(await connect()).toEqual({ status: 200, json: { ok: true } });
  });

  it('answers UnAuthorized without Exchange.ManageAsApp or without a valid Exchange token (undocumented: observed as "[System.UnauthorizedAccessException] UnAuthorized", One Identity KB 4381137)', async () => {
    const expected = { message: 'UnAuthorized', category: 'OperationStopped', errorId: 'UnAuthorized', exceptionType: 'System.UnauthorizedAccessException' };
    expect((await connect(token([]))).json).toEqual({ error: expected });
    expect((await connect(null)).json).toEqual({ error: expected });
    expect((await connect(token(['Exchange.ManageAsApp'], PRINCIPAL, 'https://graph.microsoft.com'))).json).toEqual({ error: expected });
  });

  it('refuses an identity without a supported Entra role (undocumented: observed as "The role assigned to application … isn\'t supported in this scenario", MicrosoftDocs/office-docs-powershell#11332)', async () => {
    for (const oid of ['nobody-0000', 'unknown-principal']) {
      const { json } = await connect(token(['Exchange.ManageAsApp'], oid));
      expect(json.error).toMatchObject({ category: 'OperationStopped', exceptionType: 'System.SystemException' });
      expect(json.error.message).toBe(
        `The role assigned to application ${APP} isn't supported in this scenario. Please check online documentation for assigning correct Directory Roles to Azure AD Application for EXO App-Only Authentication.`,
      );
    }
  });

  it('refuses another organization and connections other than -ManagedIdentity', async () => {
    expect((await connect(undefined, 'fabrikam.onmicrosoft.com')).json.error.message).toMatch(/^UnAuthorized: the managed identity has no access to organization 'fabrikam.onmicrosoft.com'/);
    expect((await connect(undefined, 'CONTOSO.onmicrosoft.com')).json).toEqual({ ok: true });
    expect((await post('/connect', { organization: 'contoso.onmicrosoft.com', managedIdentity: false })).json.error.category).toBe('NotImplemented');
  });

  it('answers 400 to a body that is not the protocol and 405 to other methods', async () => {
    expect((await post('/cmdlet', { parameters: {} })).status).toBe(400);
    expect((await post('/cmdlet', { cmdlet: 'Get-Mailbox', parameters: [] })).status).toBe(400);
    expect((await fetch(`${aa.url}/cmdlet`)).status).toBe(405);
  });
});

describe('POST /cmdlet', () => {
  it('returns Get-Mailbox as EXO shows it: Identity and GrantSendOnBehalfTo hold recipient names, not addresses', async () => {
    const { json } = await cmdlet('get-mailbox', { Identity: 'billing@contoso.com' });
    expect(json.output).toHaveLength(1);
    expect(json.output[0]).toMatchObject({ PrimarySmtpAddress: 'billing@contoso.com', RecipientTypeDetails: 'SharedMailbox', GrantSendOnBehalfTo: [aa.exchange.getMailbox('patti.fernandez@contoso.com').Alias] });
    expect(json.output[0].Identity).toBe(aa.exchange.getMailbox('billing@contoso.com').Alias);
  });

  it('answers a missing object with the cmdlet error the stub module rethrows (CategoryInfo NotSpecified: observed in timmcmic/DLConversionV2#130)', async () => {
    const { status, json } = await cmdlet('Get-Mailbox', { Identity: 'ghost@contoso.com' });
    expect(status).toBe(200);
    expect(json.error).toEqual({
      message: "The operation couldn't be performed because object 'ghost@contoso.com' couldn't be found on 'CY4PR01MB0001.prod.exchangelabs.com'.",
      category: 'NotSpecified',
      errorId: '[FailureCategory=Cmdlet-ManagementObjectNotFoundException]',
      exceptionType: 'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException',
    });
    expect((await cmdlet('Get-Recipient', { Identity: 'ghost@contoso.com' })).json.error.exceptionType).toBe('Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException');
  });

  it('ignores PowerShell common parameters and refuses real parameters the stand-in does not model', async () => {
    expect((await cmdlet('Get-Recipient', { Identity: 'adele.vance@contoso.com', ErrorAction: 'SilentlyContinue' })).json.output[0].PrimarySmtpAddress).toBe('adele.vance@contoso.com');
    const { json } = await cmdlet('Set-Mailbox', { Identity: 'adele.vance@contoso.com', Office: 'Seattle', Confirm: false });
    expect(json.error).toMatchObject({ category: 'NotImplemented', message: 'The Exchange stand-in does not model Set-Mailbox -Office.' });
  });

  it('changes one Send on Behalf delegate with @{Add=...} and replaces them all with a list (https://learn.microsoft.com/exchange/modifying-multivalued-properties-exchange-2013-help)', async () => {
    expect((await cmdlet('Set-Mailbox', { Identity: 'billing@contoso.com', GrantSendOnBehalfTo: { Add: 'adele.vance@contoso.com' }, Confirm: false })).json).toEqual({ output: [] });
    expect(aa.exchange.getMailbox('billing@contoso.com').GrantSendOnBehalfTo).toEqual(['patti.fernandez@contoso.com', 'adele.vance@contoso.com']);
    await cmdlet('Set-Mailbox', { Identity: 'billing@contoso.com', GrantSendOnBehalfTo: ['megan.bowen@contoso.com'] });
    expect(aa.exchange.getMailbox('billing@contoso.com').GrantSendOnBehalfTo).toEqual(['megan.bowen@contoso.com']);
  });

  it('needs -BypassSecurityGroupManagerCheck for a group the identity does not manage (Learn: Add-DistributionGroupMember)', async () => {
    const refused = await cmdlet('Add-DistributionGroupMember', { Identity: 'finance-mesg@contoso.com', Member: 'nestor.wilke@contoso.com' });
    expect(refused.json.error.message).toMatch(/only be performed by a manager of the group/);
    const added = await cmdlet('Add-DistributionGroupMember', { Identity: 'finance-mesg@contoso.com', Member: 'nestor.wilke@contoso.com', BypassSecurityGroupManagerCheck: true });
    expect(added.json).toEqual({ output: [] });
    const members = (await cmdlet('Get-DistributionGroupMember', { Identity: 'finance-mesg@contoso.com', ResultSize: 'Unlimited' })).json.output as Array<{ PrimarySmtpAddress: string }>;
    expect(members.map((m) => m.PrimarySmtpAddress)).toContain('nestor.wilke@contoso.com');
    const again = await cmdlet('Add-DistributionGroupMember', { Identity: 'finance-mesg@contoso.com', Member: 'nestor.wilke@contoso.com', BypassSecurityGroupManagerCheck: true });
    expect(again.json.error.exceptionType).toBe('Microsoft.Exchange.Management.Tasks.MemberAlreadyExistsException');
  });

  it('lists accepted domains and keeps automatic replies as HTML (Learn: Get-AcceptedDomain, Set-MailboxAutoReplyConfiguration -InternalMessage)', async () => {
    const domains = (await cmdlet('Get-AcceptedDomain')).json.output as Array<{ DomainName: string; DomainType: string }>;
    expect(domains.map((d) => d.DomainName)).toEqual(['contoso.com', 'contoso.onmicrosoft.com']);
    expect(domains.every((d) => d.DomainType === 'Authoritative')).toBe(true);
    const before = (await cmdlet('Get-MailboxAutoReplyConfiguration', { Identity: 'adele.vance@contoso.com' })).json.output[0];
    expect(before).toMatchObject({ AutoReplyState: 'Disabled', ExternalAudience: 'All', InternalMessage: null });
    await cmdlet('Set-MailboxAutoReplyConfiguration', { Identity: 'adele.vance@contoso.com', AutoReplyState: 'enabled', InternalMessage: "I'm on vacation", ExternalMessage: '<html><body>Away</body></html>' });
    const after = (await cmdlet('Get-MailboxAutoReplyConfiguration', { Identity: 'adele.vance@contoso.com' })).json.output[0];
    expect(after).toMatchObject({ AutoReplyState: 'Enabled', InternalMessage: "<html><body>I'm on vacation</body></html>", ExternalMessage: '<html><body>Away</body></html>' });
    const bad = await cmdlet('Set-MailboxAutoReplyConfiguration', { Identity: 'adele.vance@contoso.com', AutoReplyState: 'On' });
    expect(bad.json.error).toMatchObject({ category: 'InvalidArgument', exceptionType: 'System.Management.Automation.ParameterBindingException' });
  });

  it('refuses every cmdlet without a valid Exchange token, and write cmdlets to a read-only role, which EXO does not expose (Learn: app-only-auth-powershell-v2, role table)', async () => {
    expect((await cmdlet('Get-Mailbox', { Identity: 'adele.vance@contoso.com' }, token([]))).json.error.message).toBe('UnAuthorized');
    const reader = token(['Exchange.ManageAsApp'], 'reader-0000');
    expect((await connect(reader)).json).toEqual({ ok: true });
    expect((await cmdlet('Get-Mailbox', { Identity: 'adele.vance@contoso.com' }, reader)).json.output).toHaveLength(1);
    const write = await cmdlet('Set-Mailbox', { Identity: 'adele.vance@contoso.com', HiddenFromAddressListsEnabled: true }, reader);
    expect(write.json.error).toMatchObject({ category: 'ObjectNotFound', errorId: 'CommandNotFoundException', exceptionType: 'System.Management.Automation.CommandNotFoundException' });
    expect(write.json.error.message).toMatch(/^The term 'Set-Mailbox' is not recognized as a name of a cmdlet/);
    expect((await cmdlet('New-Mailbox', { Name: 'x' })).json.error.errorId).toBe('CommandNotFoundException');
  });

  it('records the calls for the admin API, without parameter values', async () => {
    await connect();
    await cmdlet('Get-Mailbox', { Identity: 'adele.vance@contoso.com' });
    const calls = (await (await fetch(`${aa.url}/_admin/exchange/calls`)).json()) as { value: unknown[] };
    expect(calls.value).toEqual([
      { endpoint: 'connect', cmdlet: 'Connect-ExchangeOnline', parameters: ['organization', 'managedIdentity'], outcome: 'ok' },
      { endpoint: 'cmdlet', cmdlet: 'Get-Mailbox', parameters: ['Identity'], outcome: 'ok' },
    ]);
  });
});

describe('admin API for engines, variables and Exchange access', () => {
  it('reports the engine, changes variables and the identity\'s roles, and reset restores them', async () => {
    expect(((await (await fetch(`${aa.url}/_admin/engine`)).json()) as { engine: string }).engine).toBe('typescript');
    const vars = (await (await fetch(`${aa.url}/_admin/variables`, { method: 'POST', body: JSON.stringify({ AllowExternalForwarding: true }) })).json()) as Record<string, unknown>;
    expect(vars).toMatchObject({ ExchangeOrganization: 'contoso.onmicrosoft.com', AllowExternalForwarding: true });
    const changed = await fetch(`${aa.url}/_admin/exchange/access`, { method: 'POST', body: JSON.stringify({ roleHolders: { [PRINCIPAL]: [] } }) });
    expect(changed.status).toBe(200);
    expect((await connect()).json.error.message).toMatch(/isn't supported in this scenario/);
    expect((await fetch(`${aa.url}/_admin/exchange/access`, { method: 'POST', body: JSON.stringify({ directoryRoles: 'x' }) })).status).toBe(400);
    await fetch(`${aa.url}/_admin/reset`, { method: 'POST' });
    expect((await connect()).json).toEqual({ ok: true });
    expect(((await (await fetch(`${aa.url}/_admin/variables`)).json()) as Record<string, unknown>).AllowExternalForwarding).toBe(false);
  });
});
