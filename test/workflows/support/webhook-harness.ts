import { expect } from 'vitest';
import type { LocalSystem } from '../../../local/system.js';

/**
 * What the intent integration tests share: posting a Thread webhook to the router on the local system,
 * reading what Graph was asked to change, and finding the router's and the child's runs in history.
 */
export type WebhookBody = Record<string, unknown> & {
  status?: string;
  message?: string;
  result?: Record<string, unknown>;
  error?: Record<string, unknown>;
  steps?: Array<{ name: string; status: string; detail?: string }>;
  problems?: Array<{ path: string; message: string }>;
};

export interface Posted<B extends WebhookBody = WebhookBody> {
  status: number;
  body: B;
  runId: string;
}

export async function postWebhook<B extends WebhookBody = WebhookBody>(sys: LocalSystem, payload: unknown): Promise<Posted<B>> {
  const res = await fetch(sys.endpoints.webhook, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(payload),
  });
  return { status: res.status, body: (await res.json()) as B, runId: res.headers.get('x-ms-workflow-run-id') ?? '' };
}

export const lastGraphSeq = (sys: LocalSystem): number => sys.graph.admin.requests().at(-1)?.seq ?? 0;

/** Graph writes (not reads, not the $batch envelope) since `seq`, as "METHOD path status". */
export function graphWritesSince(sys: LocalSystem, seq: number): string[] {
  return sys.graph.admin
    .requests(seq)
    .filter((r) => r.method !== 'GET' && !(r.method === 'POST' && r.path.endsWith('/$batch')))
    .map((r) => `${r.method} ${r.path} ${r.status}`);
}

/** Notifications and ledger records happen after Thread's answer; wait for the run to end before looking. */
export async function waitForRun(sys: LocalSystem, runName: string, workflow = 'thread-webhook'): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const run = sys.runtime.history.getRun(workflow, runName);
    if (run && run.status !== 'Running' && run.status !== 'Waiting') return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`run ${runName} of ${workflow} did not finish`);
}

/** The child run a router run started, as action name → record. */
export function childRunActions(sys: LocalSystem, childWorkflow: string, routerRun: string) {
  const child = sys.runtime.history.listRuns({ workflow: childWorkflow }).find((r) => r.parentRun?.runName === routerRun);
  expect(child, `child run of ${childWorkflow}`).toBeDefined();
  return new Map(sys.runtime.history.listActions(childWorkflow, child!.name).map((a) => [a.name, a]));
}
