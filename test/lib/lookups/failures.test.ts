import { describe, expect, it } from 'vitest';
import { matchLicense } from '../../../lib/lookups/license.js';
import { checkMembership } from '../../../lib/lookups/membership.js';
import { checkPrivileged } from '../../../lib/lookups/privileged.js';
import { resolveUser } from '../../../lib/lookups/user.js';
import { graphError, testClient, type FakeAnswer } from '../graph/fake-fetch.js';

/** Look-up failure paths that the stand-in cannot easily produce, against a scripted Graph. */
const batchOf = (answers: Record<string, FakeAnswer>) =>
  testClient((call) => {
    const requests = (call.body as { requests: Array<{ id: string }> }).requests;
    return { status: 200, body: { responses: requests.map((r) => ({ id: r.id, ...(answers[r.id] ?? { status: 500, body: {} }) })) } };
  });

const denied = graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
const notFound = graphError(404, 'Request_ResourceNotFound', "Resource 'x' does not exist");

describe('resolveUser failures', () => {
  it('When Graph answers 403, Then the error is forbidden, not "user not found"', async () => {
    const t = batchOf({ byUpn: denied, byMail: { status: 200, body: { value: [] } } });
    await expect(resolveUser(t.graph, 'a@contoso.com')).rejects.toMatchObject({ code: 'forbidden', status: 403, step: 'resolve_user' });
  });

  it('When the mail query is refused, Then that error surfaces rather than not_found', async () => {
    const t = batchOf({ byUpn: notFound, byMail: denied });
    await expect(resolveUser(t.graph, 'a@contoso.com')).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('When two users share the address, Then it is ambiguous with both candidates', async () => {
    const t = batchOf({
      byUpn: notFound,
      byMail: { status: 200, body: { value: [{ id: '1', userPrincipalName: 'a@x.com' }, { id: '2', userPrincipalName: 'b@x.com' }] } },
    });
    const err = await resolveUser(t.graph, 'shared@x.com').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ambiguous', status: 409 });
    expect((err as { details: { candidates: unknown[] } }).details.candidates).toHaveLength(2);
  });

  it('sends the mail fallback as an advanced query with escaped quotes', async () => {
    const t = batchOf({ byUpn: notFound, byMail: { status: 200, body: { value: [] } } });
    await resolveUser(t.graph, "o'neil@x.com").catch(() => undefined);
    const byMail = (t.calls[0]?.body as { requests: Array<{ id: string; url: string; headers?: Record<string, string> }> }).requests[1];
    expect(byMail?.headers?.ConsistencyLevel).toBe('eventual');
    const query = new URLSearchParams((byMail?.url ?? '').split('?')[1]);
    expect(query.get('$filter')).toBe("mail eq 'o''neil@x.com' or proxyAddresses/any(p:p eq 'smtp:o''neil@x.com')");
    expect(query.get('$count')).toBe('true');
  });
});

describe('membership and privilege failures', () => {
  it('When the membership query is throttled past the cap, Then it throws throttled instead of answering "not a member"', async () => {
    const t = testClient(() => graphError(429, 'TooManyRequests', 'Please retry again later.', { 'Retry-After': '1' }));
    await expect(checkMembership(t.graph, 'u', 'g')).rejects.toMatchObject({ code: 'throttled', step: 'check_membership' });
  });

  it('When role assignments are unreadable (403), Then the refusal is reported, never taken as "no roles"; an outage of memberOf fails', async () => {
    const refused = batchOf({ assignments: denied, memberOf: { status: 200, body: { value: [] } } });
    await expect(checkPrivileged(refused.graph, 'u')).rejects.toMatchObject({ code: 'forbidden' });
    const down = batchOf({ assignments: { status: 200, body: { value: [] } }, memberOf: graphError(503, 'serviceNotAvailable', 'down') });
    await expect(checkPrivileged(down.graph, 'u')).rejects.toMatchObject({ code: 'service_unavailable' });
  });
});

describe('matchLicense', () => {
  const sku = (skuPartNumber: string, skuId: string) => ({ skuId, skuPartNumber, consumedUnits: 3, prepaidUnits: { enabled: 5 } });

  it('asks back when a product name maps to two SKUs the tenant holds', () => {
    const skus = [sku('O365_BUSINESS_ESSENTIALS', '3b555118-da6a-4418-894f-7df1e2096870'), sku('SMB_BUSINESS_ESSENTIALS', 'dab7782a-93b1-4074-8bb1-0e61318bea0b')];
    expect(() => matchLicense('Microsoft 365 Business Basic', skus)).toThrow(expect.objectContaining({ code: 'ambiguous' }));
    expect(matchLicense('SMB_BUSINESS_ESSENTIALS', skus)).toMatchObject({ free: 2, total: 5, consumed: 3 });
  });

  it('never reports negative free seats', () => {
    expect(matchLicense('SPB', [{ skuId: 'cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46', skuPartNumber: 'SPB', consumedUnits: 30, prepaidUnits: { enabled: 25 } }]).free).toBe(0);
  });
});
