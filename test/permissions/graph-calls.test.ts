import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allRoutes } from '../../local/standins/graph/routes.js';
import { describeDeniedGraphCall, GRAPH_CALL_RULES, graphPathSegments, permissionsSatisfy, rolesSatisfy, rulesForCall } from '../../lib/permissions/graph-calls.js';
import { graphCallOfAction, WORKFLOW_GRAPH_ACTIONS } from '../../lib/permissions/workflow-graph-actions.js';
import { appRolesOf, directoryRolesOf, shippedManifest } from '../../lib/permissions/manifest.js';
import * as requests from '../../lib/lookups/requests.js';
import { groupSuggestionRequest, userSuggestionRequest } from '../../lib/lookups/suggestions.js';

/**
 * lib/permissions/graph-calls.ts is THE table: one row per endpoint the Graph stand-in serves (so the
 * stand-in can check every call), each Graph action of the workflows maps onto it, and the Logic App's
 * manifest grants cover every one of them.
 */
const manifest = shippedManifest();
const routes = allRoutes(async () => ({ status: 500, headers: {} }));
const concrete = (pattern: string) => pattern.split('/').map((p) => (p.startsWith('{') ? 'x' : p));
const versionsOf = (pattern: string): Array<'v1.0' | 'beta'> => (/signInPreferences/i.test(pattern) ? ['beta'] : ['v1.0']);

interface HttpAction {
  workflow: string;
  name: string;
  method: string;
  uri: string;
  body: unknown;
}

function graphActions(): HttpAction[] {
  const out: HttpAction[] = [];
  const walk = (workflow: string, actions: Record<string, Record<string, unknown>> | undefined) => {
    for (const [name, a] of Object.entries(actions ?? {})) {
      const inputs = a.inputs as { method?: string; uri?: unknown; body?: unknown } | undefined;
      if (a.type === 'Http' && typeof inputs?.uri === 'string' && !inputs.uri.includes('helpersBaseUrl')) out.push({ workflow, name, method: String(inputs.method).toUpperCase(), uri: inputs.uri, body: inputs.body });
      walk(workflow, a.actions as never);
      walk(workflow, (a.else as { actions?: never } | undefined)?.actions);
      for (const c of Object.values((a.cases as Record<string, { actions?: never }> | undefined) ?? {})) walk(workflow, c.actions);
      walk(workflow, (a.default as { actions?: never } | undefined)?.actions);
    }
  };
  for (const wf of readdirSync('workflows')) {
    const def = JSON.parse(readFileSync(`workflows/${wf}/workflow.json`, 'utf8')) as { definition: { actions: never } };
    walk(wf, def.definition.actions);
  }
  return out;
}

/** `@{parameters('graphBaseUrl')}/v1.0/users/@{...}/x` -> `/v1.0/users/{id}/x` */
const templatePath = (uri: string) =>
  uri
    .replace(/^@\{parameters\('graphBaseUrl'\)\}/, '')
    // Children take the base from the router's request (Graph, or the msp relay that forwards the same path).
    .replace(/^@\{triggerBody\(\)\?\['graph'\]\?\['baseUrl'\]\}/, '')
    .replace(/@\{[^}]*\}/g, '{id}')
    // The method type segment is computed per method (phoneMethods, fido2Methods...); every type has the same permission row.
    .replace('/authentication/{id}/', '/authentication/phoneMethods/');

describe('lib/permissions/graph-calls.ts', () => {
  it('has a row for every route the Graph stand-in serves', () => {
    const missing = routes.filter((r) => versionsOf(r.pattern).every((v) => rulesForCall(r.method, v, concrete(r.pattern)).length === 0));
    expect(missing.map((r) => `${r.method} ${r.pattern}`)).toEqual([]);
  });

  it('has no row for an endpoint the stand-in does not serve', () => {
    const served = (method: string, segments: string[]) =>
      routes.some((r) => r.method === method && r.pattern.split('/').length === segments.length && r.pattern.split('/').every((p, i) => p.startsWith('{') || p.toLowerCase() === segments[i]!.toLowerCase()));
    const stale = GRAPH_CALL_RULES.filter((r) => {
      const segs = concrete(r.pattern).map((s) => (s === 'x' && r.pattern.includes('{methodType}') ? 'phoneMethods' : s));
      return !served(r.method, segs);
    });
    expect(stale.map((r) => r.id)).toEqual([]);
  });

  it('cites the Learn page of each endpoint', () => {
    for (const r of GRAPH_CALL_RULES) expect(r.docs, r.id).toMatch(/^https:\/\/learn\.microsoft\.com\/graph\//);
  });

  it('names the missing permission, the identity and how to grant it (Graph\'s 403 does not say)', () => {
    const d = describeDeniedGraphCall('POST', '/v1.0/users/abc/revokeSignInSessions', 'logicApp');
    expect(d?.permissions).toEqual(['User.RevokeSessions.All']);
    expect(d?.message).toContain("the Logic App's managed identity needs the Microsoft Graph application permission User.RevokeSessions.All");
    expect(d?.fix).toContain('npm run deploy');
    const pw = describeDeniedGraphCall('PATCH', "https://graph.microsoft.com/v1.0/users('a@b.com')", 'logicApp', ['passwordProfile']);
    expect(pw?.permissions).toEqual(['User.ReadWrite.All']);
    expect(pw?.roles).toEqual(['User Administrator']);
    const read = describeDeniedGraphCall('GET', '/v1.0/users/x/mailboxSettings', 'helpers');
    expect(read?.message).toContain('MailboxSettings.Read');
    expect(read?.message).toContain("helper functions' identity");
  });
});

describe('the workflows\' Graph actions', () => {
  const actions = graphActions();

  it('are all known, and each maps to the row its URI names', () => {
    expect(actions.length).toBeGreaterThan(10);
    for (const a of actions) {
      const known = WORKFLOW_GRAPH_ACTIONS[a.name];
      expect(known, `${a.workflow}/${a.name} is listed in lib/permissions/workflow-graph-actions.ts`).toBeDefined();
      expect(known!.method).toBe(a.method);
      const fromInputs = graphCallOfAction({ inputs: { method: a.method, uri: `https://graph.microsoft.com${templatePath(a.uri).replace(/^\{id\}/, '')}`, body: typeof a.body === 'object' ? a.body : undefined } });
      const ruleIds = (c: { method: string; path: string; bodyKeys?: string[] }) => {
        const { version, segments } = graphPathSegments(c.path);
        return rulesForCall(c.method, version ?? 'v1.0', segments, c.bodyKeys ?? []).map((r) => r.id);
      };
      if (fromInputs && !templatePath(a.uri).startsWith('{id}')) {
        const sameRows = ruleIds(known!).join() === ruleIds(fromInputs).join();
        const bodyHidden = typeof a.body === 'string'; // the body is one expression (e.g. a computed create body): keys only known at run time
        expect(sameRows || bodyHidden, `${a.workflow}/${a.name}: ${ruleIds(known!).join()} vs ${ruleIds(fromInputs).join()}`).toBe(true);
      }
    }
  });

  it("are covered by the Logic App's grants in infra/permissions.json (application permissions and directory roles)", () => {
    for (const [name, call] of Object.entries(WORKFLOW_GRAPH_ACTIONS)) {
      const { version, segments } = graphPathSegments(call.path);
      const rules = rulesForCall(call.method, version ?? 'v1.0', segments, call.bodyKeys ?? []);
      expect(rules.length, name).toBeGreaterThan(0);
      for (const r of rules) {
        expect(permissionsSatisfy(r, appRolesOf(manifest, 'logicApp')), `${name}: ${r.id}`).toBe(true);
        expect(rolesSatisfy(r, directoryRolesOf(manifest, 'logicApp')), `${name}: ${r.id} roles`).toBe(true);
        expect(r.granted?.logicApp, `${name}: ${r.id} says what the Logic App is granted`).toBeDefined();
      }
    }
  });

  it('never write mailbox settings through Graph (the auto-reply is set by the Set-MailboxOffboarding runbook)', () => {
    expect(actions.filter((a) => /mailboxSettings/i.test(a.uri)).map((a) => `${a.workflow}/${a.name}`)).toEqual([]);
  });
});

describe("the helpers' Graph reads (lib/lookups/requests.ts and the suggestion look-ups)", () => {
  const USER = 'adele.vance@contoso.com';
  const ID = '5f8c6a47-2f43-4c4b-9c71-8d2b7f8b1a10';
  /** One sample call per exported request builder: a new builder without a sample fails the first test. */
  const samples: Record<string, () => { method: string; url: string; version?: 'beta' }> = {
    userRequest: () => requests.userRequest('u', USER, ['id']),
    usersByMailRequest: () => requests.usersByMailRequest('m', USER, ['id']),
    usersByMailOrAliasRequest: () => requests.usersByMailOrAliasRequest('c', USER, 'adele', ['id']),
    groupsByMailOrProxyRequest: () => requests.groupsByMailOrProxyRequest('g', 'info@contoso.com', ['id']),
    groupsByMailRequest: () => requests.groupsByMailRequest('g', 'info@contoso.com', ['id']),
    groupsByDisplayNameRequest: () => requests.groupsByDisplayNameRequest('g', "O'Brien Team", ['id']),
    groupMemberCheckRequest: () => requests.groupMemberCheckRequest('c', ID, ID),
    userGroupMembershipRequest: () => requests.userGroupMembershipRequest('m', USER, 'Sales'),
    groupRequest: () => requests.groupRequest('g', ID, ['id']),
    groupOwnersRequest: () => requests.groupOwnersRequest('o', ID),
    subscribedSkusRequest: () => requests.subscribedSkusRequest('s', ['skuId']),
    domainsRequest: () => requests.domainsRequest('d', ['id']),
    userMemberOfRequest: () => requests.userMemberOfRequest('m', USER, ['id']),
    userOwnedObjectsRequest: () => requests.userOwnedObjectsRequest('o', USER, ['id']),
    userMailboxSettingsRequest: () => requests.userMailboxSettingsRequest('b', USER),
    userManagerRequest: () => requests.userManagerRequest('m', USER, ['id']),
    authenticationMethodsRequest: () => requests.authenticationMethodsRequest('a', USER),
    signInPreferencesPath: () => ({ method: 'GET', url: requests.signInPreferencesPath(USER), version: 'beta' }),
    roleAssignmentsRequest: () => requests.roleAssignmentsRequest('r', ID),
    userSuggestionRequest: () => userSuggestionRequest('adele.vanse@contoso.com')!,
    groupSuggestionRequest: () => groupSuggestionRequest('Marketing Team')!,
  };
  const matchers = new Set(['groupRelationSegment', 'authenticationMethodSegment']);

  it('has a sample for every request builder', () => {
    const builders = Object.entries(requests).filter(([name, v]) => typeof v === 'function' && !matchers.has(name)).map(([name]) => name);
    expect(builders.filter((name) => !(name in samples))).toEqual([]);
  });

  it.each(Object.entries(samples))("%s maps to a row of the table whose permission infra/permissions.json grants the helpers", (_name, sample) => {
    const call = sample();
    const { segments } = graphPathSegments(call.url);
    const rules = rulesForCall(call.method, call.version ?? 'v1.0', segments);
    expect(rules.map((r) => r.id).length, call.url).toBeGreaterThan(0);
    for (const r of rules) {
      expect(r.method).toBe('GET');
      expect(r.granted?.helpers, `${r.id} names the helpers' grant`).toBeDefined();
      expect(permissionsSatisfy(r, appRolesOf(manifest, 'helpers')), `${call.url}: ${r.id}`).toBe(true);
    }
  });
});
