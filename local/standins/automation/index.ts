import { randomUUID } from 'node:crypto';
import defaultExchange from './fixtures/default-exchange.json' with { type: 'json' };
import { handleAdmin } from './admin-routes.js';
import { handleArm } from './arm-routes.js';
import { ExchangeModel } from './exchange-model.js';
import { FaultQueue } from './fault-queue.js';
import { listen } from './http-io.js';
import { JobEngine } from './job-engine.js';
import type { JobRecord } from './job-model.js';
import { ORGANIZATION_VARIABLE } from './runbooks/connect-exchange.js';
import { RUNBOOK_MODELS } from './runbooks/index.js';
import type { RunbookModel } from './runbooks/runbook-types.js';

/**
 * Local stand-in for Azure Automation's jobs API (what ARM_ENDPOINT points at), backed by an Exchange
 * Online model that the runbooks' TypeScript models act on. Any subscription / resource group / account
 * path is accepted: the stand-in plays whichever Automation account the caller is configured for.
 * docs/exchange-stand-in.md describes the API, the admin routes and the fixture.
 */

export interface AutomationStandInOptions {
  port?: number;
  /** Exchange fixture (docs/exchange-stand-in.md); defaults to fixtures/default-exchange.json. */
  exchange?: unknown;
  /** Total time from PUT to a terminal status. Default 2000 ms (npm start); tests pass small values. */
  jobLatencyMs?: number;
  /** Automation variables; ExchangeOrganization defaults to the fixture's Organization. */
  variables?: Record<string, string>;
  models?: readonly RunbookModel[];
  /** Key for the managed-connector form (`Authorization: Key <key>`); random by default. */
  connectionKey?: string;
}

export interface AutomationStandIn {
  /** ARM base URL (no trailing slash), used as ARM_ENDPOINT. */
  url: string;
  /** For a managed `azureautomation` connection (connectionRuntimeUrl). */
  connectionRuntimeUrl: string;
  connectionKey: string;
  exchange: ExchangeModel;
  jobs(): JobRecord[];
  stop(): Promise<void>;
}

export async function startAutomationStandIn(opts: AutomationStandInOptions = {}): Promise<AutomationStandIn> {
  const fixture: unknown = opts.exchange ?? defaultExchange;
  const exchange = new ExchangeModel(fixture);
  const faults = new FaultQueue();
  const connectionKey = opts.connectionKey ?? randomUUID();
  const engine = new JobEngine({
    exchange,
    models: opts.models ?? RUNBOOK_MODELS,
    // Read per job so a fixture loaded later still gets a matching default organization.
    get variables() {
      return { [ORGANIZATION_VARIABLE]: exchange.organization, ...opts.variables };
    },
    latencyMs: opts.jobLatencyMs ?? 2000,
  });

  const srv = await listen(opts.port ?? 0, async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/_admin/')) return handleAdmin({ exchange, engine, faults, fixture }, req, res, url.pathname);
    return handleArm({ engine, faults, connectionKey }, req, res, url);
  });

  return {
    url: srv.origin,
    connectionRuntimeUrl: `${srv.origin}/apim/azureautomation/local-azureautomation`,
    connectionKey,
    exchange,
    jobs: () => engine.list(),
    stop: async () => {
      engine.clear();
      await srv.close();
    },
  };
}
