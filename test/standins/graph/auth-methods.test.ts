import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultTenantFixture, startGraphStandIn, type GraphStandIn } from '../../../local/standins/graph/index.js';
import { graphClient, graphFailure, rawGraph } from './helpers.js';

const PASSWORD_METHOD = '28c10230-6103-485e-b985-444c60001490';
const MOBILE = '3179e48a-750b-4051-897c-87b9720928f7';
const ALT_MOBILE = 'b6332ec1-7057-4abe-9331-3d72feddfe41';

let g: GraphStandIn;
let client: ReturnType<typeof graphClient>;
beforeAll(async () => {
  g = await startGraphStandIn();
  client = graphClient(g.url);
});
afterAll(async () => g.stop());
beforeEach(() => g.admin.loadTenant(defaultTenantFixture()));

type Method = { '@odata.type': string; id: string; phoneType?: string };
const methods = async (upn: string): Promise<Method[]> => (await client.api(`/users/${upn}/authentication/methods`).get()).value;

const SEGMENTS: Record<string, string> = {
  '#microsoft.graph.phoneAuthenticationMethod': 'phoneMethods',
  '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod': 'microsoftAuthenticatorMethods',
  '#microsoft.graph.fido2AuthenticationMethod': 'fido2Methods',
  '#microsoft.graph.softwareOathAuthenticationMethod': 'softwareOathMethods',
  '#microsoft.graph.temporaryAccessPassAuthenticationMethod': 'temporaryAccessPassMethods',
  '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod': 'windowsHelloForBusinessMethods',
  '#microsoft.graph.emailAuthenticationMethod': 'emailMethods',
  '#microsoft.graph.platformCredentialAuthenticationMethod': 'platformCredentialMethods',
};

describe('authentication methods', () => {
  it('lists every kind of method plus the password method', async () => {
    const list = await methods('miriam.graham@contoso.com');
    const types = new Set(list.map((m) => m['@odata.type']));
    expect(types).toEqual(new Set([...Object.keys(SEGMENTS), '#microsoft.graph.passwordAuthenticationMethod']));
    expect(list.find((m) => m['@odata.type'].includes('password'))?.id).toBe(PASSWORD_METHOD);
    expect(list.filter((m) => m.phoneType).map((m) => m.id).sort()).toEqual([MOBILE, ALT_MOBILE, 'e37fc753-ff3b-4958-9484-eaa9425c82bc'].sort());
  });

  it('reads each method through its own type segment', async () => {
    for (const m of await methods('miriam.graham@contoso.com')) {
      const segment = SEGMENTS[m['@odata.type']] ?? 'passwordMethods';
      const one = await client.api(`/users/miriam.graham@contoso.com/authentication/${segment}/${m.id}`).get();
      expect(one.id).toBe(m.id);
    }
  });

  it('refuses deleting the default method while others exist (400 badRequest, message repeated)', async () => {
    const authenticator = (await methods('adele.vance@contoso.com')).find((m) => m['@odata.type'].includes('Authenticator')) as Method;
    const f = await graphFailure(client.api(`/users/adele.vance@contoso.com/authentication/phoneMethods/${MOBILE}`).delete());
    const message = 'Cannot delete default method with other methods configured. Please change default method before deletion.';
    expect([f.statusCode, f.code, f.message]).toEqual([400, 'badRequest', message]);
    const raw = await rawGraph(g.url, `/v1.0/users/adele.vance@contoso.com/authentication/phoneMethods/${MOBILE}`, { method: 'DELETE' });
    expect(((await raw.json()) as { error: { innerError: { message: string } } }).error.innerError.message).toBe(message);
    // Remove the other method first, then the default (last) one goes.
    await client.api(`/users/adele.vance@contoso.com/authentication/microsoftAuthenticatorMethods/${authenticator.id}`).delete();
    await client.api(`/users/adele.vance@contoso.com/authentication/phoneMethods/${MOBILE}`).delete();
    expect((await methods('adele.vance@contoso.com')).map((m) => m.id)).toEqual([PASSWORD_METHOD]);
  });

  it('deletes every non-default type with 204 through its segment', async () => {
    const list = (await methods('miriam.graham@contoso.com')).filter((m) => !m['@odata.type'].includes('password') && !m['@odata.type'].includes('Authenticator'));
    // alternateMobile goes before mobile (it cannot exist without it).
    const ordered = [...list].sort((a, b) => Number(b.phoneType === 'alternateMobile') - Number(a.phoneType === 'alternateMobile'));
    for (const m of ordered) {
      const r = await rawGraph(g.url, `/v1.0/users/miriam.graham@contoso.com/authentication/${SEGMENTS[m['@odata.type']]}/${m.id}`, { method: 'DELETE' });
      expect([m['@odata.type'], r.status]).toEqual([m['@odata.type'], 204]);
    }
    expect((await methods('miriam.graham@contoso.com')).length).toBe(2);
  });

  it('will not delete the password method, nor route the generic methods DELETE', async () => {
    const pw = await graphFailure(client.api(`/users/adele.vance@contoso.com/authentication/passwordMethods/${PASSWORD_METHOD}`).delete());
    expect([pw.statusCode, pw.code, pw.message]).toEqual([405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.']);
    const generic = await rawGraph(g.url, `/v1.0/users/adele.vance@contoso.com/authentication/methods/${MOBILE}`, { method: 'DELETE' });
    expect(generic.status).toBe(404);
    const body = (await generic.json()) as { Message: string; MessageDetail: string };
    expect(body.MessageDetail).toBe("No type was found that matches the controller named 'users'.");
    expect(body.Message).toContain('https://mface.windowsazure.com/odata/users(');
  });

  it('404s an unknown method id and refuses app-only resetPassword', async () => {
    expect((await graphFailure(client.api('/users/adele.vance@contoso.com/authentication/fido2Methods/nope').delete())).statusCode).toBe(404);
    const reset = await graphFailure(client.api(`/users/adele.vance@contoso.com/authentication/methods/${PASSWORD_METHOD}/resetPassword`).post({ newPassword: 'Cuyo5459!x' }));
    expect(reset.statusCode).toBe(403);
  });

  it('creates a Temporary Access Pass shown once, then only as null', async () => {
    const created = await client.api('/users/adele.vance@contoso.com/authentication/temporaryAccessPassMethods').post({ lifetimeInMinutes: 60, isUsableOnce: true });
    expect(created.temporaryAccessPass).toMatch(/^.{8}$/);
    const read = await client.api(`/users/adele.vance@contoso.com/authentication/temporaryAccessPassMethods/${created.id}`).get();
    expect(read.temporaryAccessPass).toBeNull();
    expect((await graphFailure(client.api('/users/adele.vance@contoso.com/authentication/temporaryAccessPassMethods').post({ lifetimeInMinutes: 5 }))).statusCode).toBe(400);
  });

  it('refuses deleting mobile while an alternate mobile exists', async () => {
    const f = await graphFailure(client.api(`/users/miriam.graham@contoso.com/authentication/phoneMethods/${MOBILE}`).delete());
    expect(f.statusCode).toBe(400);
  });
});
