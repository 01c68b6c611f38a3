import { randomUUID } from 'node:crypto';
import defaultExchange from './fixtures/default-exchange.json' with { type: 'json' };
import { handleAdmin } from './admin-routes.js';
import { handleArm } from './arm-routes.js';
import { chooseEngine, parseEngineSetting, type EngineChoice, type RunbookEngineSetting } from './engine-choice.js';
import { ExchangeModel } from './exchange-model.js';
import type { TenantSource } from './tenant-link.js';
import type { ExchangeRoleHolders } from './exo/access.js';
import { HostedOrganizations, type HostedOrganizationOptions } from './exo/organizations.js';
import { handleExo, type ExoCall } from './exo/routes.js';
import { FaultQueue } from './fault-queue.js';
import { listen } from './http-io.js';
import { JobEngine } from './job-engine.js';
import type { JobRecord } from './job-model.js';
import { RUNBOOKS_DIR } from './repo-paths.js';
import { defaultAutomationIdentity, defaultRoleHolders, exchangeTokenFor, type AutomationIdentity, type ExchangeAccessState } from './runbook-identity.js';
import { ORGANIZATION_VARIABLE } from './runbooks/connect-exchange.js';
import { RUNBOOK_MODELS } from './runbooks/index.js';
import type { AutomationVariableValue, RunbookModel } from './runbooks/runbook-types.js';
import { pwshRunner } from './runners/pwsh-runner.js';
import { SANDBOX_IDENTITY_PATH, sandboxIdentity } from './sandbox-identity.js';
import type { RunbookRunner } from './runners/runner-types.js';
import { typescriptRunner } from './runners/typescript-runner.js';

/**
 * Local stand-in for Azure Automation's jobs API (what ARM_ENDPOINT points at), backed by an Exchange
 * Online model. Jobs run the real runbooks/*.ps1 under pwsh (the stub ExchangeOnlineManagement module
 * calls this server's /connect and /cmdlet) or, without pwsh, the runbooks' TypeScript models.
 * Any subscription / resource group / account path is accepted: the stand-in plays whichever Automation
 * account the caller is configured for. docs/exchange-stand-in.md describes the API, engines and fixture.
 */

export interface AutomationStandInOptions {
  port?: number;
  /** Exchange fixture (docs/exchange-stand-in.md); defaults to fixtures/default-exchange.json. */
  exchange?: unknown;
  /**
   * The Graph stand-in's live tenant (GraphStandIn.tenantState) when both run in one process: DL membership,
   * hidden-from-address-lists, mailbox type and auto-replies then live there, so Graph shows a runbook's
   * changes (tenant-link.ts). Without it the Exchange model keeps everything itself.
   */
  tenant?: TenantSource;
  /** Total time from PUT to a terminal status. Default 2000 ms (npm start); tests pass small values. */
  jobLatencyMs?: number;
  /**
   * Automation variables (JSON values, as Get-AutomationVariable returns them). Defaults:
   * ExchangeOrganization = the fixture's Organization, AllowExternalForwarding = false.
   */
  variables?: Record<string, AutomationVariableValue>;
  /** TypeScript runbook models (typescript engine). */
  models?: readonly RunbookModel[];
  /** Folder of the .ps1 runbooks (pwsh engine); defaults to the repository's runbooks/. */
  runbooksDir?: string;
  /** Default: env AUTOMATION_RUNBOOK_ENGINE, else auto (pwsh when installed). */
  runbookEngine?: RunbookEngineSetting;
  /** At most this many pwsh job processes at once (default 4). */
  maxParallelJobs?: number;
  /** The Automation account's managed identity (defaults: runbook-identity.ts, from infra/permissions.json). */
  identity?: Partial<AutomationIdentity>;
  /** Microsoft Entra roles per principal id; default: the identity with its directoryRoles. */
  exchangeRoleHolders?: ExchangeRoleHolders;
  /** Key for the managed-connector form (`Authorization: Key <key>`); random by default. */
  connectionKey?: string;
  /**
   * msp mode (issue 13): one Automation account serving several customer organizations. Runbooks connect with
   * -AccessToken (runbooks/shared/ExchangeConnection.ps1); each session is served by the organization of its token's
   * tenant. `exchange` and `tenant` above are then unused. docs/exchange-stand-in.md, "msp mode".
   */
  msp?: AutomationMspOptions;
}

export interface AutomationMspOptions {
  /** One per customer tenant: tenant id, Exchange fixture, and that tenant's Graph state when shared. */
  organizations: readonly HostedOrganizationOptions[];
  /** The identity stand-in's endpoint and the Automation account's IDENTITY_HEADER there (jobs' token source). */
  identity: { endpoint: string; header: string };
  /** The sign-in stand-in's base URL (jobs' AZURE_AUTHORITY_HOST; Azure: https://login.microsoftonline.com). */
  authorityHost: string;
  /** Client ids for the Automation variables MspAppClientId and MspIdentityClientId (else set them in `variables`). */
  appClientId?: string;
  identityClientId?: string;
}

export interface AutomationStandIn {
  /** ARM base URL (no trailing slash), used as ARM_ENDPOINT. */
  url: string;
  /** For a managed `azureautomation` connection (connectionRuntimeUrl). */
  connectionRuntimeUrl: string;
  connectionKey: string;
  /** customer mode: the one Exchange organization; msp mode: the first hosted one (see `organizations`). */
  exchange: ExchangeModel;
  /** msp mode: every hosted customer organization, by tenant. */
  organizations?: HostedOrganizations;
  /** Which engine runs runbooks, and why. */
  engine: EngineChoice;
  /** The identity runbook jobs connect to Exchange with (changeable through /_admin/exchange/access). */
  identity(): AutomationIdentity;
  jobs(): JobRecord[];
  /** /connect and /cmdlet calls since start or the last reset. */
  exchangeCalls(): ExoCall[];
  stop(): Promise<void>;
}

export async function startAutomationStandIn(opts: AutomationStandInOptions = {}): Promise<AutomationStandIn> {
  const organizations = opts.msp ? new HostedOrganizations(opts.msp.organizations) : undefined;
  const firstHosted = organizations?.list()[0];
  if (organizations && !firstHosted) throw new Error('msp mode needs at least one organization.');
  const fixture: unknown = firstHosted ? firstHosted.fixture : (opts.exchange ?? defaultExchange);
  const exchange = firstHosted ? firstHosted.exchange : new ExchangeModel(fixture, { tenant: opts.tenant });
  const sandbox = opts.msp ? sandboxIdentity(opts.msp.identity) : undefined;
  const faults = new FaultQueue();
  const connectionKey = opts.connectionKey ?? randomUUID();
  const choice = chooseEngine(opts.runbookEngine ?? parseEngineSetting(process.env.AUTOMATION_RUNBOOK_ENGINE));
  const identity = defaultAutomationIdentity(opts.identity);
  const access: ExchangeAccessState = {
    identity,
    holders: opts.exchangeRoleHolders ?? defaultRoleHolders(identity),
    explicitHolders: opts.exchangeRoleHolders !== undefined,
  };
  const calls: ExoCall[] = [];
  // Variables set through /_admin/variables on top of the options; reset forgets them.
  const changedVariables: Record<string, AutomationVariableValue> = {};
  // Read per job so a fixture loaded later still gets a matching default organization.
  // msp mode: what the deployment writes there (infra/modules/automation.bicep): no ExchangeOrganization of its own.
  const modeVariables: Record<string, AutomationVariableValue> = opts.msp
    ? { [ORGANIZATION_VARIABLE]: '', DeploymentMode: 'msp', MspAppClientId: opts.msp.appClientId ?? '', MspIdentityClientId: opts.msp.identityClientId ?? '' }
    : { [ORGANIZATION_VARIABLE]: exchange.organization };
  const variables = () => ({ ...modeVariables, AllowExternalForwarding: false, ...opts.variables, ...changedVariables });
  const exchangeToken = () => exchangeTokenFor(access.identity);
  let origin = '';
  // What an msp-mode job's sandbox holds besides the variables (runbooks/shared/ExchangeConnection.ps1 reads them).
  const sandboxEnvironment = (): Record<string, string> =>
    sandbox && opts.msp ? { IDENTITY_ENDPOINT: `${origin}${SANDBOX_IDENTITY_PATH}`, IDENTITY_HEADER: sandbox.header, AZURE_AUTHORITY_HOST: opts.msp.authorityHost } : {};

  const runner: RunbookRunner =
    choice.engine === 'pwsh' && choice.pwsh
      ? pwshRunner({ pwsh: choice.pwsh, runbooksDir: opts.runbooksDir ?? RUNBOOKS_DIR, exchangeUrl: () => origin, exchangeToken, variables, maxParallel: opts.maxParallelJobs, sandboxEnvironment: () => sandboxEnvironment() })
      : typescriptRunner({ exchange, models: opts.models ?? RUNBOOK_MODELS, variables, exchangeToken, roleHolders: () => access.holders, organizations, sandboxEnvironment: () => sandboxEnvironment() });
  const engine = new JobEngine({ runner, latencyMs: opts.jobLatencyMs ?? 2000 });

  const srv = await listen(opts.port ?? 0, async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/connect' || url.pathname === '/cmdlet') {
      return handleExo({ exchange, roleHolders: () => access.holders, calls, organizations }, req, res, url.pathname);
    }
    if (sandbox && url.pathname === SANDBOX_IDENTITY_PATH) return sandbox.handle(req, res, url);
    if (url.pathname.startsWith('/_admin/')) return handleAdmin({ exchange, engine, faults, fixture, choice, access, calls, variables, changedVariables, organizations }, req, res, url.pathname);
    return handleArm({ engine, faults, connectionKey }, req, res, url);
  });
  origin = srv.origin;

  return {
    url: srv.origin,
    connectionRuntimeUrl: `${srv.origin}/apim/azureautomation/local-azureautomation`,
    connectionKey,
    exchange,
    ...(organizations ? { organizations } : {}),
    engine: choice,
    identity: () => access.identity,
    jobs: () => engine.list(),
    exchangeCalls: () => [...calls],
    stop: async () => {
      await engine.shutdown();
      await srv.close();
    },
  };
}
