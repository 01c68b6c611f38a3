import { authorizeExchange, checkOrganization, type ExchangeRoleHolders } from '../exo/access.js';
import { exchangeForSession } from '../exo/write-gate.js';
import type { ExchangeModel } from '../exchange-model.js';
import type { JobRecord, StreamType } from '../job-model.js';
import { bindParameters } from '../runbooks/bind-parameters.js';
import { resultLine, type AutomationVariableValue, type RunbookModel } from '../runbooks/runbook-types.js';
import type { RunbookRunner, RunHandle } from './runner-types.js';

/**
 * The fallback engine without pwsh: the TypeScript model of each runbook (runbooks/*.ts) acts on the
 * ExchangeModel directly. Connecting goes through the same access checks as /connect (exo/access.ts),
 * with the same Exchange token the pwsh engine hands the stub module.
 */
export interface TypeScriptRunnerOptions {
  exchange: ExchangeModel;
  models: readonly RunbookModel[];
  variables(): Readonly<Record<string, AutomationVariableValue>>;
  exchangeToken(): string;
  roleHolders(): ExchangeRoleHolders;
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
      try {
        const access = authorizeExchange(`Bearer ${opts.exchangeToken()}`, opts.roleHolders());
        const bound = bindParameters(m.parameters, job.parameters);
        const result = m.run(bound, {
          exchange: access.ok ? exchangeForSession(opts.exchange, access.session) : opts.exchange,
          variables: opts.variables(),
          connect: (organization) => {
            if (!access.ok) throw access.error;
            const wrongOrganization = checkOrganization(organization, opts.exchange.organization);
            if (wrongOrganization) throw wrongOrganization;
          },
          output: (line) => write('Output', line),
          warning: (line) => write('Warning', line),
        });
        write('Output', resultLine(result));
        return { done: { ok: true }, cancel: () => undefined };
      } catch (err) {
        return { done: { ok: false, exception: err instanceof Error ? err.message : String(err) }, cancel: () => undefined };
      }
    },
    shutdown: async () => undefined,
  };
}
