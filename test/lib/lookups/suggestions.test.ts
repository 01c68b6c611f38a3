import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../lib/errors/app-error.js';
import { resolveGroups } from '../../../lib/lookups/groups.js';
import { licenseChoices, matchLicense, resolveLicense, type SubscribedSku } from '../../../lib/lookups/license.js';
import { closest, editDistance } from '../../../lib/lookups/similarity.js';
import { groupSuggestionRequest, rankUsers, searchPrefixes, userSuggestionRequest } from '../../../lib/lookups/suggestions.js';
import { resolveUser } from '../../../lib/lookups/user.js';
import { resolveUserAndGroups } from '../../../lib/lookups/user-and-groups.js';
import { graphError, testClient, type FakeAnswer } from '../graph/fake-fetch.js';
import { startGraphEnv, type GraphEnv } from './graph-env.js';

/**
 * "Did you mean …" for unknown users, groups and licences (issue 11 item 7).
 * Graph capabilities relied on: startswith on user userPrincipalName, mail, displayName, givenName, surname and on
 * group displayName, mail, mailNickname works as a basic query (no ConsistencyLevel), per
 * https://learn.microsoft.com/graph/aad-advanced-queries (user and group property tables),
 * https://learn.microsoft.com/graph/api/resources/user?view=graph-rest-1.0#properties ("Supports $filter (eq, …, startsWith)") and
 * https://learn.microsoft.com/graph/filter-query-parameter#operators-and-functions-supported-in-filter-expressions;
 * free seats = prepaidUnits.enabled − consumedUnits, per https://learn.microsoft.com/graph/api/resources/subscribedsku.
 */
describe('editDistance (Damerau-Levenshtein, optimal string alignment, case-insensitive)', () => {
  it.each([
    ['adel.vance', 'adele.vance', 1],
    ['jhon', 'john', 1],
    ['ADELE', 'adele', 0],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
    ['ca', 'abc', 3], // OSA, not unrestricted Damerau (which gives 2)
  ])('%s → %s is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });

  it('closest keeps the order of equal distances and leaves out names too far off to be a typo', () => {
    const names = [{ n: 'sales team' }, { n: 'sales - emea' }, { n: 'marketing' }, { n: 'sales tea' }];
    expect(closest('sales teem', names, (x) => [x.n])).toEqual([
      { n: 'sales team', distance: 1 },
      { n: 'sales tea', distance: 2 },
      { n: 'sales - emea', distance: 4 },
    ]);
  });
});

describe('ranking users', () => {
  const raw = [
    { id: '3', userPrincipalName: 'adam.smith@contoso.com', displayName: 'Adam Smith', mail: 'adam.smith@contoso.com' },
    { id: '2', userPrincipalName: 'adele.vance@fabrikam.com', displayName: 'Adele Vance (Fabrikam)', mail: null },
    { id: '1', userPrincipalName: 'adele.vance@contoso.com', displayName: 'Adele Vance', mail: 'adele.vance@contoso.com' },
  ];

  it('ranks by the distance of the address local part, the domain asked for first, and drops unrelated users', () => {
    expect(rankUsers('adel.vance@contoso.com', raw).map((u) => [u.userPrincipalName, u.distance])).toEqual([
      ['adele.vance@contoso.com', 1],
      ['adele.vance@fabrikam.com', 1],
    ]);
  });

  it('ranks a bare name by display name', () => {
    expect(rankUsers('Adele Vanse', raw).map((u) => [u.id, u.distance])).toEqual([
      ['1', 1],
      ['2', 2], // its sign-in name adele.vance is 2 away from "adele vanse"
    ]);
  });

  it('returns at most five', () => {
    const many = Array.from({ length: 9 }, (_, i) => ({ id: String(i), userPrincipalName: `adele.vanc${i}@contoso.com`, displayName: '', mail: null }));
    expect(rankUsers('adele.vance@contoso.com', many)).toHaveLength(5);
  });
});

describe('suggestion queries', () => {
  it('one basic startswith query per miss on the words of the local part; none for an object id', () => {
    expect(searchPrefixes("conor.o'brien")).toEqual(['con', 'o', 'bri']);
    const request = userSuggestionRequest('adel.vance@contoso.com');
    const query = new URLSearchParams(request?.url.split('?')[1]);
    expect(query.get('$filter')).toBe(
      "startswith(userPrincipalName,'ade') or startswith(mail,'ade') or startswith(displayName,'ade') or startswith(givenName,'ade') or startswith(surname,'van') or startswith(displayName,'van')",
    );
    expect(request?.headers).toBeUndefined();
    expect(userSuggestionRequest('714ce498-09cd-569e-a561-2dabfbf5682d')).toBeUndefined();
    expect(new URLSearchParams(groupSuggestionRequest("O'Brian Team")?.url.split('?')[1]).get('$filter')).toBe(
      "startswith(displayName,'o') or startswith(mail,'o') or startswith(mailNickname,'o') or startswith(displayName,'bri') or startswith(displayName,'tea')",
    );
  });
});

describe('licence choices', () => {
  const skus: SubscribedSku[] = [
    { skuId: 'a', skuPartNumber: 'ENTERPRISEPACK', prepaidUnits: { enabled: 20 }, consumedUnits: 20 },
    { skuId: 'b', skuPartNumber: 'SPE_E5', prepaidUnits: { enabled: 3 }, consumedUnits: 1 },
    { skuId: 'c', skuPartNumber: 'SPB', prepaidUnits: { enabled: 25 }, consumedUnits: 2 },
    { skuId: 'd', skuPartNumber: 'SPE_E3', capabilityStatus: 'Suspended', prepaidUnits: { enabled: 10 }, consumedUnits: 0 },
  ];

  it('lists licences with free seats first, closest to what was asked first, and leaves out suspended ones', () => {
    expect(licenseChoices('E5', skus).map((c) => [c.skuPartNumber, c.free])).toEqual([
      ['SPE_E5', 2],
      ['SPB', 23],
      ['ENTERPRISEPACK', 0],
    ]);
  });

  it('says which licences the tenant has, with free seats, in the message and the fix', () => {
    const err = (() => {
      try {
        matchLicense('E5', skus);
      } catch (e) {
        return e as AppError;
      }
      throw new Error('expected a miss');
    })();
    expect(err.message).toBe(
      '"E5" is not a licence this tenant has. Licences with free seats: Microsoft 365 E5 (SPE_E5, 2 of 3 free); Microsoft 365 Business Premium (SPB, 23 of 25 free). Without free seats: Office 365 E3 (ENTERPRISEPACK).',
    );
    expect(err.fix).toMatch(/"Microsoft 365 E5" or SPE_E5/);
    expect((err.details?.suggestions as Array<{ skuPartNumber: string }>).map((s) => s.skuPartNumber)).toEqual(['SPE_E5', 'SPB', 'ENTERPRISEPACK']);
  });
});

describe('suggestions against the Graph stand-in', () => {
  let env: GraphEnv;
  beforeAll(async () => {
    env = await startGraphEnv();
  });
  afterAll(async () => {
    await env?.stop();
  });
  const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e as AppError);

  it('adel.vance → "Did you mean adele.vance@contoso.com (Adele Vance)?" with one extra, basic query', async () => {
    const before = (await env.graphStandIn.admin.requests()).length;
    const err = await failure(resolveUser(env.graph, 'adel.vance@contoso.com'));
    expect(err).toMatchObject({ code: 'not_found', status: 404, step: 'resolve_user' });
    expect(err.message).toBe('No user has the user name or e-mail address "adel.vance@contoso.com". Did you mean adele.vance@contoso.com (Adele Vance)?');
    expect(err.fix).toMatch(/adele\.vance@contoso\.com/);
    expect(err.details?.suggestions).toEqual([{ id: '714ce498-09cd-569e-a561-2dabfbf5682d', userPrincipalName: 'adele.vance@contoso.com', displayName: 'Adele Vance', mail: 'adele.vance@contoso.com' }]);
    const calls = (await env.graphStandIn.admin.requests()).slice(before);
    expect(calls.filter((c) => !c.batch)).toHaveLength(2);
    const similar = calls.find((c) => c.batch && c.query.includes('startswith'));
    expect(similar).toMatchObject({ method: 'GET', status: 200 });
  });

  it('says so when nothing in the tenant is close', async () => {
    const err = await failure(resolveUser(env.graph, 'zz.qq@contoso.com'));
    expect(err.message).toMatch(/No user in the tenant has a similar name\.$/);
    expect(err.details?.suggestions).toEqual([]);
  });

  it('an unknown group gets the closest groups with ids and kinds; an ambiguous one lists every candidate id', async () => {
    const [teem, phoenix] = await resolveGroups(env.graph, ['Sales Teem', 'Project Phoenix']);
    expect(teem?.ok).toBe(false);
    const miss = (teem as { error: AppError }).error;
    expect(miss.message).toMatch(/^No group is named "Sales Teem"\. Did you mean "Sales Team" \(security group, id 3e7f2573-be10-581a-af76-2ca9001ffd80\)/);
    expect((miss.details?.suggestions as Array<{ id: string }>)[0]).toMatchObject({ id: '3e7f2573-be10-581a-af76-2ca9001ffd80', displayName: 'Sales Team' });
    const ambiguous = (phoenix as { error: AppError }).error;
    expect(ambiguous.code).toBe('ambiguous');
    expect(ambiguous.message).toContain('b8988cd0-e204-5b0b-8466-953e4651aa4e');
    expect(ambiguous.message).toContain('e03540d6-bdce-539f-8c6c-37e4f9a9d6a9');
    expect(ambiguous.fix).toContain('b8988cd0-e204-5b0b-8466-953e4651aa4e or e03540d6-bdce-539f-8c6c-37e4f9a9d6a9');
  });

  it('an unknown user in a user+groups plan gets suggestions too', async () => {
    const err = await failure(resolveUserAndGroups(env.graph, 'adel.vance@contoso.com', ['Sales Team']));
    expect(err.message).toContain('Did you mean adele.vance@contoso.com (Adele Vance)?');
  });

  it('an unknown licence lists the tenant\'s licences with free seats first', async () => {
    const err = await failure(resolveLicense(env.graph, 'E5 Security'));
    expect(err.code).toBe('not_found');
    const choices = err.details?.tenantHas as Array<{ free: number; skuPartNumber: string }>;
    const firstFull = choices.findIndex((c) => c.free === 0);
    if (firstFull >= 0) expect(choices.slice(firstFull).every((c) => c.free === 0)).toBe(true);
    expect(err.message).toMatch(/Licences with free seats: .*\(SPE_E5, \d+ of 3 free\)/);
  });
});

describe('suggestions never hide a refusal', () => {
  const batchOf = (answer: (url: string) => FakeAnswer) =>
    testClient((call) => {
      const requests = (call.body as { requests: Array<{ id: string; url: string }> }).requests;
      return { status: 200, body: { responses: requests.map((r) => ({ id: r.id, ...answer(r.url) })) } };
    });
  const notFound = graphError(404, 'Request_ResourceNotFound', "Resource 'x' does not exist");
  const denied = graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');

  it('a denied read is reported as forbidden and no suggestion query is sent', async () => {
    const t = batchOf(() => denied);
    await expect(resolveUser(t.graph, 'adel.vance@contoso.com')).rejects.toMatchObject({ code: 'forbidden' });
    expect(t.calls).toHaveLength(1);
  });

  it('when the suggestion read itself is refused, the plain not-found answer stands', async () => {
    const t = batchOf((url) => (url.includes('startswith') ? denied : url.startsWith('/users?') ? { status: 200, body: { value: [] } } : notFound));
    const err = (await resolveUser(t.graph, 'adel.vance@contoso.com').catch((e: unknown) => e)) as AppError;
    expect(err.code).toBe('not_found');
    expect(err.message).toBe('No user has the user name or e-mail address "adel.vance@contoso.com".');
    expect(err.details?.suggestions).toBeUndefined();
  });
});
