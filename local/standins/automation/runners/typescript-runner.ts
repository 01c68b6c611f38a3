import { authorizeExchange, authorizeTenantToken, checkOrganization, unauthorized, type ExchangeRoleHolders } from '../exo/access.js';
import type { HostedOrganizations } from '../exo/organizations.js';
import { exchangeForSession } from '../exo/write-gate.js';
import type { ExchangeModel } from '../exchange-model.js';
import type { JobRecord, StreamType } from '../job-model.js';
import { bindParameters } from '../runbooks/bind-parameters.js';
import { exchangeTarget } from '../runbooks/connect-exchange.js';
import { failedResultLine, resultLine, type AutomationVariableValue, type RunbookModel } from '../runbooks/runbook-types.js';
import { customerExchangeToken, type SandboxEnvironment } from './customer-token.js';
import type { RunbookRunner, RunHandle, RunOutcome } from './runner-types.js';

/**
 * The fallback engine without pwsh: the TypeScript model of each runbook (runbooks/*.ts) acts on the
 * ExchangeModel directly. Connecting goes through the same access checks as /connect (exo/access.ts),
 * with the same Exchange token the pwsh engine hands the stub module. In msp mode (DeploymentMode variable) it first
 * gets the customer tenant's token as the runbook does (customer-token.ts) and runs the model against the organization
 * of that token's tenant. A failure after the parameters were bound writes the failed RESULT line first, as the
 * runbook's trap does (runbooks/shared/ExchangeConnection.ps1); a binding error fails before any line of the script runs.
 */
export interface TypeScriptRunnerOptions {
  exchange: ExchangeModel;
  models: readonly RunbookModel[];
  variables(): Readonly<Record<string, AutomationVariableValue>>;
  exchangeToken(): string;
  roleHolders(): ExchangeRoleHolders;
  /** msp mode: the hosted customer organizations. */
  organizations?: HostedOrganizations;
  /** msp mode: the job sandbox's IDENTITY_ENDPOINT, IDENTITY_HEADER and AZURE_AUTHORITY_HOST. */
  sandboxEnvironment?(): SandboxEnvironment;
}

export function typescriptRunner(opts: TypeScriptRunnerOptions): RunbookRunner {
  const model = (name: string) => opts.models.find((m) => m.name.toLowerCase() === name.toLowerCase());
  return {
    engine: 'typescript',
    startsAt: 'end',
    find: (name) => model(name)?.name,
    prepare: () => undefined,
    run(job: JobRecord, write: (stream: StreamType, text: string) => void): RunHandle {
      const m = model(job.runbook);
      if (!m) return { done: { ok: false, exception: `Runbook ${job.runbook} has no model.` }, cancel: () => undefined };
      const fail = (err: unknown): RunOutcome => ({ ok: false, exception: err instanceof Error ? err.message : String(err) });
      // The runbook's trap: the reason as the last output line, then the same failure.
      let exchangeConnected = false;
      const failWithResult = (err: unknown): RunOutcome => {
        const outcome = fail(err);
        if (!outcome.ok) write('Output', failedResultLine(outcome.exception, exchangeConnected));
        return outcome;
      };
      const variables = opts.variables();
      let bound: ReturnType<typeof bindParameters>;
      try {
        bound = bindParameters(m.parameters, job.parameters);
      } catch (err) {
        return { done: fail(err), cancel: () => undefined };
      }
      try {
        const target = exchangeTarget(bound, variables);
        if (target.mode === 'customer') {
          const access = authorizeExchange(`Bearer ${opts.exchangeToken()}`, opts.roleHolders());
          return { done: runModel(m, bound, access.ok ? exchangeForSession(opts.exchange, access.session) : opts.exchange, write, (organization) => {
            if (!access.ok) throw access.error;
            const wrongOrganization = checkOrganization(organization, opts.exchange.organization);
            if (wrongOrganization) throw wrongOrganization;
          }), cancel: () => undefined };
        }
        // msp: the token first (asynchronous), then the model in one go against the token tenant's organization.
        let cancelled = false;
        const done = customerExchangeToken(target.organization, variables, opts.sandboxEnvironment?.() ?? {}).then(
          (token): RunOutcome => {
            if (cancelled) return { ok: false, exception: 'The job was stopped.' };
            const tenant = opts.organizations ? authorizeTenantToken(`Bearer ${token}`, opts.organizations, target.organization) : { ok: false as const, error: unauthorized() };
            const exchange = tenant.ok ? exchangeForSession(tenant.hosted.exchange, tenant.session) : opts.exchange;
            return runModel(m, bound, exchange, write, () => {
              if (!tenant.ok) throw tenant.error;
            });
          },
          failWithResult,
        );
        return { done, cancel: () => { cancelled = true; } };
      } catch (err) {
        return { done: failWithResult(err), cancel: () => undefined };
      }

      function runModel(rm: RunbookModel, bound: ReturnType<typeof bindParameters>, exchange: ExchangeModel, out: typeof write, connect: (organization: string) => void): RunOutcome {
        const connected = (organization: string) => {
          connect(organization);
          exchangeConnected = true;
        };
        try {
          const result = rm.run(bound, { exchange, variables, connect: connected, output: (line) => out('Output', line), warning: (line) => out('Warning', line) });
          out('Output', resultLine(result));
          return { ok: true };
        } catch (err) {
          return failWithResult(err);
        }
      }
    },
    shutdown: async () => undefined,
  };
}
