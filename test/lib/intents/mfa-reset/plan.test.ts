import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../../lib/errors/app-error.js';
import { createGraphClient, type GraphClient } from '../../../../lib/graph/client.js';
import { defaultRetryPolicy } from '../../../../lib/graph/retry-policy.js';
import { planMfaReset, selectMethods } from '../../../../lib/intents/mfa-reset/plan.js';
import { startGraphStandIn, type GraphStandIn } from '../../../../local/standins/graph/index.js';
import { mintLocalToken } from '../../../../local/standins/identity/token.js';

/** The MFA plan against the Graph stand-in's default tenant (contoso), plus the pure ordering. */
let graphStandIn: GraphStandIn;
let graph: GraphClient;

type TenantUser = { id: string; userPrincipalName: string; roles: string[]; authMethods: Array<{ type: string; id: string; phoneNumber?: string }> };
const users = () => (graphStandIn.admin.tenant() as unknown as { users: TenantUser[] }).users;
const byUpn = (upn: string) => users().find((u) => u.userPrincipalName === upn)!;

beforeAll(async () => {
  graphStandIn = await startGraphStandIn();
  const token = mintLocalToken({ aud: 'https://graph.microsoft.com', oid: '6a1f4c3e-0b7d-4e55-9c1a-2f8e7d6c5b4a', roles: ['User.Read.All', 'Directory.Read.All', 'UserAuthenticationMethod.Read.All'] });
  graph = createGraphClient({ baseUrl: graphStandIn.url, token: async () => token, retry: { sleep: async () => undefined } });
});

afterAll(async () => {
  await graphStandIn?.stop();
});

describe('planMfaReset', () => {
  it('lists every method but the password, likely default (Authenticator) last, phones office → alternate → mobile, in one $batch', async () => {
    const target = byUpn('miriam.graham@contoso.com');
    const seq = graphStandIn.admin.requests().at(-1)?.seq ?? 0;
    const plan = await planMfaReset(graph, { userEmail: target.userPrincipalName, method: 'All' });
    expect(plan.user).toMatchObject({ id: target.id, userPrincipalName: target.userPrincipalName });
    expect(plan.methods.map((m) => m.segment)).toEqual([
      'temporaryAccessPassMethods',
      'emailMethods',
      'platformCredentialMethods',
      'windowsHelloForBusinessMethods',
      'fido2Methods',
      'softwareOathMethods',
      'phoneMethods',
      'phoneMethods',
      'phoneMethods',
      'microsoftAuthenticatorMethods',
    ]);
    expect(plan.methods.filter((m) => m.kind === 'Phone').map((m) => m.label)).toEqual(['Phone (office, ending 13)', 'Phone (alternateMobile, ending 12)', 'Phone (mobile, ending 11)']);
    expect(new Set(plan.methods.map((m) => m.id))).toEqual(new Set(target.authMethods.map((m) => m.id)));
    expect(new Set(plan.methods.map((m) => m.step)).size).toBe(plan.methods.length);
    // No full phone number leaves the plan.
    for (const m of target.authMethods) if (m.phoneNumber) expect(JSON.stringify(plan)).not.toContain(m.phoneNumber.replace(/\s+/g, ''));
    expect(plan.revokeSessions).toBe(true);
    expect(plan.changes.at(-1)).toMatchObject({ step: 'revoke_sessions' });
    const log = graphStandIn.admin.requests(seq);
    // One round trip: the $batch and, beside it, the beta read of the default method.
    expect(log.filter((r) => !r.batch).map((r) => `${r.method} ${r.path}`).sort()).toEqual(
      ['POST /v1.0/$batch', `GET /beta/users/${encodeURIComponent(target.userPrincipalName)}/authentication/signInPreferences`].sort(),
    );
    expect(log.filter((r) => r.batch).every((r) => r.method === 'GET')).toBe(true);
  });

  it('keeps only the requested kind', async () => {
    const plan = await planMfaReset(graph, { userEmail: 'miriam.graham@contoso.com', method: 'Phone' });
    expect(plan.methods.map((m) => m.kind)).toEqual(['Phone', 'Phone', 'Phone']);
    const hello = await planMfaReset(graph, { userEmail: 'miriam.graham@contoso.com', method: 'Windows Hello' });
    expect(hello.methods).toHaveLength(1);
    expect(hello.methods[0]).toMatchObject({ kind: 'Windows Hello', segment: 'windowsHelloForBusinessMethods' });
  });

  it('plans nothing (and no session revocation) when no method matches, saying what is registered', async () => {
    const plan = await planMfaReset(graph, { userEmail: 'adele.vance@contoso.com', method: 'FIDO2' });
    expect(plan).toMatchObject({ methods: [], revokeSessions: false, changes: [] });
    expect(plan.registered).toEqual(['Authenticator', 'Phone']);
  });

  it('refuses administrators, naming the role', async () => {
    const admin = users().find((u) => u.roles.includes('Helpdesk Administrator'))!;
    const err = await planMfaReset(graph, { userEmail: admin.userPrincipalName, method: 'All' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'refused', status: 422, step: 'check_privileged' });
    expect((err as AppError).message).toContain('Helpdesk Administrator');
  });

  it('reports an unknown user as not found', async () => {
    const err = await planMfaReset(graph, { userEmail: 'nobody.here@contoso.com', method: 'All' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'not_found' });
  });

  it('follows @odata.nextLink when Graph pages the methods list', async () => {
    const page2 = [{ '@odata.type': '#microsoft.graph.emailAuthenticationMethod', id: 'e-2', emailAddress: 'x@fabrikam.com' }];
    const requested: string[] = [];
    const fake: GraphClient = {
      baseUrl: 'https://graph.example',
      version: 'v1.0',
      retryPolicy: defaultRetryPolicy({ sleep: async () => undefined }),
      relativeLink: (link) => link.replace('https://graph.example/v1.0', ''),
      async post<T>(path: string, body: unknown): Promise<T> {
        expect(path).toBe('/$batch');
        const ids = (body as { requests: Array<{ id: string }> }).requests.map((r) => r.id);
        const answer = (id: string) => {
          if (id === 'byUpn') return { id, status: 200, body: { id: 'u-1', userPrincipalName: 'pat@contoso.com', displayName: 'Pat' } };
          if (id === 'memberOf') return { id, status: 200, body: { value: [] } };
          if (id === 'methods') {
            return {
              id,
              status: 200,
              body: {
                value: [{ '@odata.type': '#microsoft.graph.passwordAuthenticationMethod', id: '28c10230-6103-485e-b985-444c60001490' }, { '@odata.type': '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod', id: 'a-1', displayName: 'Pixel' }],
                '@odata.nextLink': 'https://graph.example/v1.0/users/u-1/authentication/methods?$skiptoken=2',
              },
            };
          }
          return { id, status: 404, body: { error: { code: 'Request_ResourceNotFound', message: 'x' } } };
        };
        return { responses: ids.map(answer) } as T;
      },
      async get<T>(path: string, options?: { version?: string }): Promise<T> {
        requested.push(path);
        if (options?.version === 'beta') return { userPreferredMethodForSecondaryAuthentication: 'push' } as T;
        return { value: page2 } as T;
      },
      patch: async () => {
        throw new Error('no writes in a plan');
      },
      delete: async () => {
        throw new Error('no writes in a plan');
      },
    };
    const plan = await planMfaReset(fake, { userEmail: 'pat@contoso.com', method: 'All' });
    expect(requested.filter((p) => !p.endsWith('/signInPreferences'))).toEqual(['/users/u-1/authentication/methods?$skiptoken=2']);
    expect(plan.methods.map((m) => m.id)).toEqual(['e-2', 'a-1']);
    expect(plan.methods[0]?.label).toBe('Email (address at fabrikam.com)');
  });
});

describe('selectMethods', () => {
  it('reports types Graph v1.0 cannot delete for "All" only, and keeps step names unique', () => {
    const listed = [
      { '@odata.type': '#microsoft.graph.hardwareOathAuthenticationMethod', id: 'h-1' },
      { '@odata.type': '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod', id: 'a-1', displayName: 'iPhone' },
      { '@odata.type': '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod', id: 'a-2', displayName: 'iPhone' },
      { '@odata.type': '#microsoft.graph.passwordAuthenticationMethod', id: '28c10230-6103-485e-b985-444c60001490' },
    ];
    const all = selectMethods(listed, 'All');
    expect(all.notRemovable).toEqual([{ type: 'hardwareOath', id: 'h-1' }]);
    expect(all.methods.map((m) => m.step)).toEqual(['remove_method:Authenticator (iPhone)', 'remove_method:Authenticator (iPhone) #2']);
    expect(all.registered).toEqual(['Authenticator', 'hardwareOath']);
    const one = selectMethods(listed, 'Authenticator');
    expect(one.notRemovable).toEqual([]);
    expect(selectMethods(listed, 'Phone').methods).toEqual([]);
  });
});
