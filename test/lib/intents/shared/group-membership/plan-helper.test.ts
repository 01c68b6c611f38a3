import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as addUserToGroupFunctions from '../../../../../lib/intents/add-user-to-group/function.js';
import * as removeUserFromGroupFunctions from '../../../../../lib/intents/remove-user-from-group/function.js';
import * as groupMembershipFunctions from '../../../../../lib/intents/shared/group-membership/function.js';
import type { GroupMembershipPlan } from '../../../../../lib/intents/shared/group-membership/plan-types.js';
import { startFunctionsHost, type FunctionsHost } from '../../../../../local/functions-host/index.js';
import { startGraphStandIn, type GraphStandIn } from '../../../../../local/standins/graph/index.js';
import { startIdentityStandIn, type IdentityStandIn } from '../../../../../local/standins/identity/index.js';
import { mintLocalToken } from '../../../../../local/standins/identity/token.js';

/** The membership plan helpers as a workflow calls them: through the Functions host with Easy Auth. */
const AUDIENCE = 'api://thread-intent-helpers';
const LOGIC_APP = '0f0f0f0f-1111-2222-3333-444444444444';
let host: FunctionsHost;
let graph: GraphStandIn;
let identity: IdentityStandIn;

beforeAll(async () => {
  [graph, identity] = await Promise.all([startGraphStandIn(), startIdentityStandIn()]);
  host = await startFunctionsHost({
    allowedAudience: AUDIENCE,
    functions: { ...addUserToGroupFunctions, ...removeUserFromGroupFunctions, ...groupMembershipFunctions } as unknown as Record<string, unknown>,
    env: { ALLOWED_CALLER_OBJECT_IDS: LOGIC_APP, GRAPH_BASE_URL: graph.url, GRAPH_AUTH_MODE: 'managed-identity', PROTECTED_GROUPS: 'Licensing - Office 365 E3', ...identity.env() },
  });
});

afterAll(async () => {
  await host?.stop();
  await Promise.all([graph?.stop(), identity?.stop()]);
});

interface HelperBody {
  plan?: GroupMembershipPlan;
  error?: { code: string; step?: string; details?: { problems?: unknown[] } };
  respondEarly?: boolean;
  exchangeGroups?: string[];
}

const bearer = (oid: string) => `Bearer ${mintLocalToken({ aud: AUDIENCE, oid })}`;

async function post(path: string, body: unknown, authorization: string | null = bearer(LOGIC_APP)) {
  const res = await fetch(`${host.url}/api/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as HelperBody };
}

const request = (intent: string, fields: Record<string, unknown>) => ({ request: { intent, intentName: 'x', ticketId: 5, fields, meta: {}, dryRun: false, fieldsHash: 'h' } });

describe('POST /api/intents/{add-user-to-group|remove-user-from-group}/plan', () => {
  it('answers 200 {plan} for the Logic App, honouring PROTECTED_GROUPS', async () => {
    const res = await post('intents/add-user-to-group/plan', request('add-user-to-group', { userEmail: 'nestor.wilke@contoso.com', groupNames: ['Sales Team', 'Licensing - Office 365 E3'] }));
    expect(res.status).toBe(200);
    expect(res.body.plan?.groups.map((g) => g.decision)).toEqual(['graph', 'refused']);
    const remove = await post('intents/remove-user-from-group/plan', request('remove-user-from-group', { userEmail: 'omar.haddad@contoso.com', groupNames: ['Engineering'] }));
    expect(remove.body.plan).toMatchObject({ operation: 'remove', graphChanges: [{ displayName: 'Engineering' }] });
  });

  it('refuses callers without an identity (401) or with the wrong one (403)', async () => {
    const body = request('add-user-to-group', { userEmail: 'nestor.wilke@contoso.com', groupNames: ['Sales Team'] });
    expect((await post('intents/add-user-to-group/plan', body, null)).status).toBe(401);
    expect((await post('intents/add-user-to-group/plan', body, bearer('99999999-9999-9999-9999-999999999999'))).status).toBe(403);
  });

  it('answers 400 naming the problem for a wrong intent, missing fields or bad JSON', async () => {
    const wrongIntent = await post('intents/add-user-to-group/plan', request('remove-user-from-group', { userEmail: 'a@contoso.com', groupNames: ['x'] }));
    expect(wrongIntent.status).toBe(400);
    expect(JSON.stringify(wrongIntent.body.error?.details?.problems)).toContain('request.intent');
    const noGroups = await post('intents/remove-user-from-group/plan', request('remove-user-from-group', { userEmail: 'a@contoso.com', groupNames: [] }));
    expect(noGroups.status).toBe(400);
    expect(JSON.stringify(noGroups.body.error?.details?.problems)).toContain('request.fields.groupNames');
    expect((await post('intents/add-user-to-group/plan', '{not json')).body.error).toMatchObject({ code: 'validation_failed' });
  });

  it('an unknown user is 404 not_found with the step, never a 500', async () => {
    const res = await post('intents/add-user-to-group/plan', request('add-user-to-group', { userEmail: 'nobody.here@contoso.com', groupNames: ['Sales Team'] }));
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'not_found', step: 'resolve_user' });
  });
});

describe('POST /api/intents/group-membership/route', () => {
  it('says whether the Exchange runbook is involved', async () => {
    const res = await post('intents/group-membership/route', request('add-user-to-group', { userEmail: 'a@contoso.com', groupNames: ['Sales Team', 'Finance'] }));
    expect(res).toEqual({ status: 200, body: { respondEarly: true, exchangeGroups: ['Finance'] } });
  });
});
