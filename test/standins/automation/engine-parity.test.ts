import { afterAll, beforeAll, expect, it } from 'vitest';
import { startAutomationStandIn, type AutomationStandIn } from '../../../local/standins/automation/index.js';
import { mintLocalToken } from '../../../local/standins/identity/token.js';
import { describeWithTools } from '../../support/tools.js';

/**
 * The same runbook jobs through both engines of the Automation stand-in: the real runbooks/*.ps1 under pwsh
 * (stub ExchangeOnlineManagement -> /connect, /cmdlet) and the TypeScript models. Each job must end with the
 * same status, exception and RESULT, and leave Exchange in the same state; each job's expected outcome is
 * asserted too, so two engines that are wrong the same way still fail. CI always runs this (pwsh installed).
 */

interface Job {
  runbook: string;
  parameters: Record<string, string>;
  /** What the job must end as: a status and either the RESULT outcome or a pattern of the exception. */
  expect: { status: 'Completed'; outcome: 'applied' | 'already_satisfied' } | { status: 'Failed'; exception: RegExp };
}

interface Scenario {
  name: string;
  variables?: Record<string, string | boolean>;
  /** POST /_admin/exchange/access body: the Automation identity's Exchange grants for this scenario. */
  access?: Record<string, unknown>;
  jobs: Job[];
}

const done = (outcome: 'applied' | 'already_satisfied') => ({ status: 'Completed' as const, outcome });
const failed = (exception: RegExp) => ({ status: 'Failed' as const, exception });
const NOT_FOUND = /^The operation couldn't be performed because object '.+' couldn't be found on '/;
const SMP = 'Set-SharedMailboxPermission';
const DGM = 'Set-DistributionGroupMember';
const CONVERT = 'Convert-ToSharedMailbox';
const OFFBOARD = 'Set-MailboxOffboarding';

const SCENARIOS: Scenario[] = [
  {
    name: `${SMP}: Full Access without automapping, then already granted`,
    jobs: [
      { runbook: SMP, parameters: { SharedMailboxEmail: 'support@contoso.com', UserEmail: 'adele.vance@contoso.com', PermissionType: 'Full Access', Action: 'Grant', AutoMapping: 'False' }, expect: done('applied') },
      { runbook: SMP, parameters: { SharedMailboxEmail: 'support@contoso.com', UserEmail: 'Adele Vance', PermissionType: 'full access', Action: 'grant' }, expect: done('already_satisfied') },
    ],
  },
  {
    name: `${SMP}: Send As revoke, Send on Behalf beside an existing delegate, an apostrophe in an address`,
    jobs: [
      { runbook: SMP, parameters: { SharedMailboxEmail: 'info@contoso.com', UserEmail: 'megan.bowen@contoso.com', PermissionType: 'Send As', Action: 'Revoke' }, expect: done('applied') },
      { runbook: SMP, parameters: { SharedMailboxEmail: 'billing@contoso.com', UserEmail: 'adele.vance@contoso.com', PermissionType: 'Send on Behalf', Action: 'Grant' }, expect: done('applied') },
      { runbook: SMP, parameters: { SharedMailboxEmail: 'billing@contoso.com', UserEmail: 'patti.fernandez@contoso.com', PermissionType: 'Send on Behalf', Action: 'Grant' }, expect: done('already_satisfied') },
      { runbook: SMP, parameters: { SharedMailboxEmail: 'support@contoso.com', UserEmail: "conor.o'brien@contoso.com", PermissionType: 'Send As', Action: 'Grant' }, expect: done('applied') },
    ],
  },
  {
    name: `${SMP}: failures (mailbox or user not found, not a shared mailbox, ValidateSet, unknown parameter)`,
    jobs: [
      { runbook: SMP, parameters: { SharedMailboxEmail: 'nope@contoso.com', UserEmail: 'adele.vance@contoso.com', PermissionType: 'Send As', Action: 'Grant' }, expect: failed(NOT_FOUND) },
      { runbook: SMP, parameters: { SharedMailboxEmail: 'support@contoso.com', UserEmail: 'ghost@contoso.com', PermissionType: 'Send As', Action: 'Grant' }, expect: failed(NOT_FOUND) },
      { runbook: SMP, parameters: { SharedMailboxEmail: 'alex.wilber@contoso.com', UserEmail: 'adele.vance@contoso.com', PermissionType: 'Full Access', Action: 'Grant' }, expect: failed(/is a UserMailbox, not a shared mailbox/) },
      { runbook: SMP, parameters: { SharedMailboxEmail: 'support@contoso.com', UserEmail: 'adele.vance@contoso.com', PermissionType: 'Owner', Action: 'Grant' }, expect: failed(/does not belong to the set "Full Access,Send As,Send on Behalf"/) },
      { runbook: SMP, parameters: { SharedMailboxEmail: 'support@contoso.com', UserEmail: 'adele.vance@contoso.com', PermissionType: 'Send As', Action: 'Grant', Mailbox: 'x' }, expect: failed(/^A parameter cannot be found that matches parameter name 'Mailbox'\.$/) },
      { runbook: SMP, parameters: { SharedMailboxEmail: 'support@contoso.com', PermissionType: 'Send As', Action: 'Grant' }, expect: failed(/missing mandatory parameters: UserEmail/) },
    ],
  },
  {
    name: `${DGM}: add, already a member, remove, not a member, group not found`,
    jobs: [
      { runbook: DGM, parameters: { GroupIdentity: 'all-staff@contoso.com', MemberEmail: 'nestor.wilke@contoso.com', Action: 'Add' }, expect: done('applied') },
      { runbook: DGM, parameters: { GroupIdentity: 'All Staff', MemberEmail: 'Nestor Wilke', Action: 'Add' }, expect: done('already_satisfied') },
      { runbook: DGM, parameters: { GroupIdentity: 'finance-mesg@contoso.com', MemberEmail: 'emily.braun@contoso.com', Action: 'Remove' }, expect: done('applied') },
      { runbook: DGM, parameters: { GroupIdentity: 'finance-mesg@contoso.com', MemberEmail: 'emily.braun@contoso.com', Action: 'Remove' }, expect: done('already_satisfied') },
      { runbook: DGM, parameters: { GroupIdentity: 'no-such-group@contoso.com', MemberEmail: 'emily.braun@contoso.com', Action: 'Add' }, expect: failed(NOT_FOUND) },
    ],
  },
  {
    name: `${CONVERT}: converts, already shared, not found`,
    jobs: [
      { runbook: CONVERT, parameters: { UserPrincipalName: 'nestor.wilke@contoso.com' }, expect: done('applied') },
      { runbook: CONVERT, parameters: { UserPrincipalName: 'nestor.wilke@contoso.com' }, expect: done('already_satisfied') },
      { runbook: CONVERT, parameters: { UserPrincipalName: 'ghost@contoso.com' }, expect: failed(NOT_FOUND) },
    ],
  },
  {
    name: `${OFFBOARD}: hides and forwards internally with a kept copy, then already done; [bool] values as Automation passes them`,
    jobs: [
      { runbook: OFFBOARD, parameters: { UserPrincipalName: 'diego.siciliani@contoso.com', HideFromAddressList: 'True', ForwardTo: 'Megan Bowen', DeliverToMailboxAndForward: '$true' }, expect: done('applied') },
      { runbook: OFFBOARD, parameters: { UserPrincipalName: 'diego.siciliani@contoso.com', ForwardTo: 'megan.bowen@contoso.com', DeliverToMailboxAndForward: '1' }, expect: done('already_satisfied') },
      { runbook: OFFBOARD, parameters: { UserPrincipalName: 'joni.sherman@contoso.com', HideFromAddressList: 'maybe' }, expect: failed(/Cannot process argument transformation on parameter 'HideFromAddressList'/) },
    ],
  },
  {
    name: `${OFFBOARD}: external forwarding refused by default (https://learn.microsoft.com/defender-office-365/outbound-spam-policies-external-email-forwarding)`,
    jobs: [
      { runbook: OFFBOARD, parameters: { UserPrincipalName: 'joni.sherman@contoso.com', HideFromAddressList: 'False', ForwardTo: 'joni@fabrikam.example' }, expect: done('already_satisfied') },
      { runbook: OFFBOARD, parameters: { UserPrincipalName: 'joni.sherman@contoso.com', ForwardTo: 'joni@fabrikam.example' }, expect: done('applied') },
    ],
  },
  {
    name: `${OFFBOARD}: external forwarding allowed by the AllowExternalForwarding variable`,
    variables: { AllowExternalForwarding: true },
    jobs: [{ runbook: OFFBOARD, parameters: { UserPrincipalName: 'joni.sherman@contoso.com', HideFromAddressList: 'False', ForwardTo: 'joni@fabrikam.example' }, expect: done('applied') }],
  },
  {
    name: `${OFFBOARD}: automatic reply, stored as HTML by Exchange, set once (Learn: Set-MailboxAutoReplyConfiguration)`,
    jobs: [
      { runbook: OFFBOARD, parameters: { UserPrincipalName: 'grady.archie@contoso.com', HideFromAddressList: 'False', AutoReplyMessage: "Grady has left Contoso & won't read this. Write to <b>Megan</b>." }, expect: done('applied') },
      { runbook: OFFBOARD, parameters: { UserPrincipalName: 'grady.archie@contoso.com', HideFromAddressList: 'False', AutoReplyMessage: "Grady has left Contoso & won't read this. Write to <b>Megan</b>." }, expect: done('already_satisfied') },
    ],
  },
  {
    name: `${OFFBOARD}: failures (not an address, forwarding to itself)`,
    jobs: [
      { runbook: OFFBOARD, parameters: { UserPrincipalName: 'joni.sherman@contoso.com', ForwardTo: 'not an address' }, expect: failed(/is neither a recipient of this organisation nor an email address/) },
      { runbook: OFFBOARD, parameters: { UserPrincipalName: 'joni.sherman@contoso.com', ForwardTo: 'Joni Sherman' }, expect: failed(/Cannot forward joni.sherman@contoso.com to itself/) },
    ],
  },
  {
    name: 'Exchange refuses an identity without Exchange.ManageAsApp (undocumented: observed as "UnAuthorized", One Identity KB 4381137)',
    access: { exchangeAppRoles: [] },
    jobs: [{ runbook: CONVERT, parameters: { UserPrincipalName: 'nestor.wilke@contoso.com' }, expect: failed(/^UnAuthorized$/) }],
  },
  {
    name: 'Exchange refuses an identity without an Exchange role (undocumented: observed in MicrosoftDocs/office-docs-powershell#11332)',
    access: { directoryRoles: [] },
    jobs: [{ runbook: DGM, parameters: { GroupIdentity: 'all-staff@contoso.com', MemberEmail: 'nestor.wilke@contoso.com', Action: 'Add' }, expect: failed(/^The role assigned to application .+ isn't supported in this scenario\./) }],
  },
  {
    name: 'a read-only role connects but has no write cmdlets (Learn: app-only-auth-powershell-v2, role table)',
    access: { directoryRoles: ['Global Reader'] },
    jobs: [{ runbook: CONVERT, parameters: { UserPrincipalName: 'nestor.wilke@contoso.com' }, expect: failed(/^The term 'Set-Mailbox' is not recognized as a name of a cmdlet/) }],
  },
  {
    name: 'Connect-ExchangeOnline to another organization, or to a non-initial domain',
    jobs: [
      { runbook: CONVERT, parameters: { UserPrincipalName: 'nestor.wilke@contoso.com', Organization: 'fabrikam.onmicrosoft.com' }, expect: failed(/^UnAuthorized: the managed identity has no access to organization 'fabrikam.onmicrosoft.com'/) },
      { runbook: CONVERT, parameters: { UserPrincipalName: 'nestor.wilke@contoso.com', Organization: 'contoso.com' }, expect: failed(/^Organization 'contoso.com' is not an initial <name>.onmicrosoft.com domain\.$/) },
    ],
  },
];

const ACCOUNT = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Automation/automationAccounts/aa';
const armToken = mintLocalToken({ aud: 'https://management.azure.com/', oid: 'parity-test' });
const headers = { authorization: `Bearer ${armToken}`, 'content-type': 'application/json' };

interface JobEnd {
  status: string;
  exception: string | null;
  result: unknown;
}

async function runJob(aa: AutomationStandIn, name: string, job: Job): Promise<JobEnd> {
  const url = `${aa.url}${ACCOUNT}/jobs/${name}?api-version=2023-11-01`;
  const put = await fetch(url, { method: 'PUT', headers, body: JSON.stringify({ properties: { runbook: { name: job.runbook }, parameters: job.parameters } }) });
  expect(put.status).toBe(201);
  const deadline = Date.now() + 150_000;
  for (;;) {
    const { properties } = (await (await fetch(url, { headers })).json()) as { properties: { status: string; exception: string | null } };
    // A job that never ends fails the comparison with what it had done, instead of timing the test out.
    if (Date.now() > deadline) {
      const record = aa.jobs().find((j) => j.name === name);
      const seen = { created: record?.creationTime, statusAt: record?.lastStatusModifiedTime, calls: aa.exchangeCalls().map((c) => c.cmdlet) };
      return { status: `still ${properties.status}`, exception: JSON.stringify(seen), result: null };
    }
    if (['Completed', 'Failed', 'Stopped'].includes(properties.status)) {
      const output = await (await fetch(`${aa.url}${ACCOUNT}/jobs/${name}/output?api-version=2023-11-01`, { headers })).text();
      const last = output.split('\n').reverse().find((l) => l.startsWith('RESULT: '));
      return { status: properties.status, exception: properties.exception, result: last ? (JSON.parse(last.slice(8)) as unknown) : null };
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function runScenario(aa: AutomationStandIn, index: number, s: Scenario): Promise<{ ends: JobEnd[]; exchange: unknown }> {
  await fetch(`${aa.url}/_admin/reset`, { method: 'POST' });
  if (s.variables) await fetch(`${aa.url}/_admin/variables`, { method: 'POST', body: JSON.stringify(s.variables) });
  if (s.access) expect((await fetch(`${aa.url}/_admin/exchange/access`, { method: 'POST', body: JSON.stringify(s.access) })).status).toBe(200);
  const ends: JobEnd[] = [];
  for (const [i, job] of s.jobs.entries()) ends.push(await runJob(aa, `s${index}-j${i}`, job));
  return { ends, exchange: aa.exchange.snapshot() };
}

describeWithTools('pwsh')('runbook engines: pwsh (runbooks/*.ps1) and TypeScript models give the same outcomes', () => {
  let pwsh: AutomationStandIn;
  let typescript: AutomationStandIn;

  beforeAll(async () => {
    [pwsh, typescript] = await Promise.all([startAutomationStandIn({ runbookEngine: 'pwsh', jobLatencyMs: 20 }), startAutomationStandIn({ runbookEngine: 'typescript', jobLatencyMs: 20 })]);
  });
  afterAll(async () => {
    await Promise.all([pwsh?.stop(), typescript?.stop()]);
  });

  it('runs the pwsh engine through the stub module and the /connect, /cmdlet endpoints', async () => {
    expect(pwsh.engine.engine).toBe('pwsh');
    expect(typescript.engine.engine).toBe('typescript');
    const { ends } = await runScenario(pwsh, 99, { name: 'probe', jobs: [{ runbook: CONVERT, parameters: { UserPrincipalName: 'nestor.wilke@contoso.com' }, expect: done('applied') }] });
    expect(ends[0]?.status).toBe('Completed');
    expect(pwsh.exchangeCalls().map((c) => c.cmdlet)).toEqual(['Connect-ExchangeOnline', 'Get-Mailbox', 'Set-Mailbox', 'Get-Mailbox']);
    const jobs = (await (await fetch(`${pwsh.url}/_admin/jobs`)).json()) as { value: Array<{ runbookEngine: string }> };
    expect(jobs.value.map((j) => j.runbookEngine)).toEqual(['pwsh']);
  });

  for (const [index, scenario] of SCENARIOS.entries()) {
    it(scenario.name, async () => {
      const [real, model] = await Promise.all([runScenario(pwsh, index, scenario), runScenario(typescript, index, scenario)]);
      for (const [i, job] of scenario.jobs.entries()) {
        const end = real.ends[i];
        expect(end?.status, `job ${i} (${job.runbook}) status under pwsh; exception: ${end?.exception}`).toBe(job.expect.status);
        if (job.expect.status === 'Completed') expect((end?.result as { outcome?: string } | null)?.outcome).toBe(job.expect.outcome);
        else expect(end?.exception).toMatch(job.expect.exception);
        expect(model.ends[i], `job ${i} (${job.runbook}): TypeScript model differs from the .ps1`).toEqual(end);
      }
      expect(model.exchange).toEqual(real.exchange);
    }, 180_000);
  }
});
