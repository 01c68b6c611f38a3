import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { ROOT, STUB_MODULES_DIR } from '../../scripts/runbooks/pester-run.js';
import { describeWithTools, findTool, pwshEnv } from '../support/tools.js';

/**
 * The stub ExchangeOnlineManagement module in stand-in mode (EXO_STANDIN_URL set): the client side of the
 * contract with the Automation stand-in (POST /connect, POST /cmdlet; see
 * local/standins/automation/pwsh-modules/README.md). A tiny fake server records what the module sends and answers
 * as the stand-in would; the real stand-in's side is tested in test/standins/automation.
 */

interface Recorded {
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
}

const TOKEN = 'local-test-token';
let server: Server;
let url = '';
let recorded: Recorded[] = [];
/** Answers by cmdlet name ("connect" for /connect); anything else answers {"ok":true} / {"output":[]}. */
let answers: Record<string, unknown | ((parameters: Record<string, unknown>) => unknown)> = {};
/** pwsh starts slowly on a busy machine; each test starts one process. */
const PWSH_TEST_TIMEOUT = 120_000;

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void readJson(req).then((body) => {
      recorded.push({ path: req.url ?? '', authorization: req.headers.authorization, body });
      const key = req.url === '/connect' ? 'connect' : String(body.cmdlet);
      const answer = answers[key];
      const parameters = (body.parameters ?? {}) as Record<string, unknown>;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify((typeof answer === 'function' ? answer(parameters) : answer) ?? (req.url === '/connect' ? { ok: true } : { output: [] })));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  recorded = [];
  answers = {};
});

/** Runs a script under pwsh in stand-in mode; resolves with its stdout lines and exit code. */
async function pwsh(script: string, variables: Record<string, unknown> = {}): Promise<{ lines: string[]; stderr: string; code: number }> {
  const env = {
    ...pwshEnv([STUB_MODULES_DIR]),
    EXO_STANDIN_URL: url,
    EXO_STANDIN_TOKEN: TOKEN,
    AUTOMATION_VARIABLES: JSON.stringify(variables),
    NO_COLOR: '1',
  };
  const child = spawn(findTool('pwsh')!, ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', script], { cwd: ROOT, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  return { lines: stdout.split(/\r?\n/).filter((l) => l !== ''), stderr, code };
}

describeWithTools('pwsh')('stub ExchangeOnlineManagement in stand-in mode', () => {
  // msp mode: Connect-ExchangeOnline -AccessToken (https://learn.microsoft.com/powershell/module/exchangepowershell/connect-exchangeonline)
  it('authenticates an -AccessToken session with that token, and sends it and the organization with every cmdlet until Disconnect', async () => {
    const { code, stderr } = await pwsh(`
      $ErrorActionPreference = 'Stop'
      Import-Module ExchangeOnlineManagement -RequiredVersion 3.5.1
      Connect-ExchangeOnline -AccessToken 'customer-tenant-token' -Organization fabrikam.onmicrosoft.com -ShowBanner:$false
      $null = Get-Mailbox -Identity 'adele.vance@fabrikam.com'
      Disconnect-ExchangeOnline -Confirm:$false
      $null = Get-Mailbox -Identity 'after@fabrikam.com'
    `);
    expect(code, stderr).toBe(0);
    expect(recorded.map((r) => [r.path, r.authorization])).toEqual([
      ['/connect', 'Bearer customer-tenant-token'],
      ['/cmdlet', 'Bearer customer-tenant-token'],
      ['/cmdlet', `Bearer ${TOKEN}`],
    ]);
    expect(recorded[0]?.body).toEqual({ organization: 'fabrikam.onmicrosoft.com', accessToken: true });
    expect(recorded[1]?.body).toEqual({ cmdlet: 'Get-Mailbox', parameters: { Identity: 'adele.vance@fabrikam.com' }, organization: 'fabrikam.onmicrosoft.com' });
    expect(recorded[2]?.body).not.toHaveProperty('organization');
  }, PWSH_TEST_TIMEOUT);

  it('sends bound parameters (switches as booleans, hashtables as objects, arrays as arrays) and returns the output as objects', async () => {
    answers['Get-Mailbox'] = { output: [{ PrimarySmtpAddress: 'alex@contoso.com', RecipientTypeDetails: 'UserMailbox' }] };
    const { lines, code, stderr } = await pwsh(`
      $ErrorActionPreference = 'Stop'
      Import-Module ExchangeOnlineManagement -RequiredVersion 3.5.1
      Connect-ExchangeOnline -ManagedIdentity -Organization contoso.onmicrosoft.com -ShowBanner:$false
      $m = Get-Mailbox -Identity alex@contoso.com
      "type=$($m.RecipientTypeDetails)"
      Set-Mailbox -Identity alex@contoso.com -GrantSendOnBehalfTo @{ Add = 'jamie@contoso.com' } -HiddenFromAddressListsEnabled $true -Confirm:$false
      Add-DistributionGroupMember -Identity sales@contoso.com -Member jamie@contoso.com -BypassSecurityGroupManagerCheck -Confirm:$false
      Get-Recipient -RecipientTypeDetails UserMailbox, SharedMailbox -ResultSize Unlimited | Out-Null
      Disconnect-ExchangeOnline -Confirm:$false
    `);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(lines).toEqual(['type=UserMailbox']);
    expect(recorded.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(recorded.map((r) => [r.path, r.body])).toEqual([
      ['/connect', { organization: 'contoso.onmicrosoft.com', managedIdentity: true }],
      ['/cmdlet', { cmdlet: 'Get-Mailbox', parameters: { Identity: 'alex@contoso.com' } }],
      ['/cmdlet', { cmdlet: 'Set-Mailbox', parameters: { Identity: 'alex@contoso.com', GrantSendOnBehalfTo: { Add: 'jamie@contoso.com' }, HiddenFromAddressListsEnabled: true } }],
      ['/cmdlet', { cmdlet: 'Add-DistributionGroupMember', parameters: { Identity: 'sales@contoso.com', Member: 'jamie@contoso.com', BypassSecurityGroupManagerCheck: true } }],
      ['/cmdlet', { cmdlet: 'Get-Recipient', parameters: { RecipientTypeDetails: ['UserMailbox', 'SharedMailbox'], ResultSize: 'Unlimited' } }],
    ]);
  }, PWSH_TEST_TIMEOUT);

  it('turns an error answer into a terminating error with its message and category, unless -ErrorAction SilentlyContinue', async () => {
    const notFound = {
      message: "The operation couldn't be performed because object 'nobody@contoso.com' couldn't be found on 'AM0PR01A001DC01.EURPR01A001.prod.outlook.com'.",
      category: 'ObjectNotFound',
      errorId: 'ManagementObjectNotFoundException',
      exceptionType: 'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException',
    };
    answers['Get-Recipient'] = { error: notFound };
    const { lines, code } = await pwsh(`
      $ErrorActionPreference = 'Stop'
      Import-Module ExchangeOnlineManagement -RequiredVersion 3.5.1
      $quiet = Get-Recipient -Identity nobody@contoso.com -ErrorAction SilentlyContinue
      "quiet=[$quiet]"
      try { Get-Recipient -Identity nobody@contoso.com; 'not reached' }
      catch { "message=$($_.Exception.Message)"; "category=$($_.CategoryInfo.Category)"; "reason=$($_.CategoryInfo.Reason)"; "activity=$($_.CategoryInfo.Activity)" }
    `);
    expect(code).toBe(0);
    expect(lines).toEqual([
      'quiet=[]',
      `message=${notFound.message}`,
      'category=ObjectNotFound',
      'reason=Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException',
      'activity=Get-Recipient',
    ]);
  }, PWSH_TEST_TIMEOUT);

  it('fails Connect-ExchangeOnline with the stand-in\'s message when it refuses the connection', async () => {
    answers.connect = { error: { message: 'UnAuthorized', category: 'OperationStopped', errorId: 'UnAuthorized', exceptionType: 'System.UnauthorizedAccessException' } };
    const { lines, code } = await pwsh(`
      Import-Module ExchangeOnlineManagement -RequiredVersion 3.5.1
      try { Connect-ExchangeOnline -ManagedIdentity -Organization contoso.onmicrosoft.com -ShowBanner:$false; 'connected' } catch { "failed: $($_.Exception.Message)" }
    `);
    expect(code).toBe(0);
    expect(lines).toEqual(['failed: UnAuthorized']);
  }, PWSH_TEST_TIMEOUT);

  it('runs a real runbook end to end: Convert-ToSharedMailbox writes its RESULT line', async () => {
    let type = 'UserMailbox';
    answers['Get-Mailbox'] = () => ({ output: [{ PrimarySmtpAddress: 'alex@contoso.com', RecipientTypeDetails: type }] });
    answers['Set-Mailbox'] = () => {
      type = 'SharedMailbox';
      return { output: [] };
    };
    const runbook = join(ROOT, 'runbooks', 'Convert-ToSharedMailbox.ps1');
    const { lines, code, stderr } = await pwsh(`& '${runbook}' -UserPrincipalName alex@contoso.com`, { ExchangeOrganization: 'contoso.onmicrosoft.com' });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(lines.at(-1)).toBe(
      'RESULT: {"outcome":"applied","action":"convert_to_shared","message":"Converted alex@contoso.com to a shared mailbox.","details":{"mailbox":"alex@contoso.com","previousType":"UserMailbox","recipientTypeDetails":"SharedMailbox"}}',
    );
    expect(recorded.find((r) => r.body.cmdlet === 'Set-Mailbox')?.body).toEqual({ cmdlet: 'Set-Mailbox', parameters: { Identity: 'alex@contoso.com', Type: 'Shared' } });
  }, PWSH_TEST_TIMEOUT);
});
