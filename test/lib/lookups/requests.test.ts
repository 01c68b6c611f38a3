import { describe, expect, it } from 'vitest';
import {
  authenticationMethodSegment,
  groupRelationSegment,
  groupsByDisplayNameRequest,
  groupMemberCheckRequest,
  signInPreferencesPath,
  userRequest,
  usersByMailOrAliasRequest,
  usersByMailRequest,
} from '../../../lib/lookups/requests.js';

/** The request builders every plan reads Graph through (lib/lookups/requests.ts). */
describe('lib/lookups/requests.ts', () => {
  it('addresses a UPN starting with $ as a key literal (https://learn.microsoft.com/graph/api/user-get)', () => {
    expect(userRequest('u', '$admin@contoso.com', ['id', 'displayName']).url).toBe("/users('$admin%40contoso.com')?$select=id%2CdisplayName");
    expect(userRequest('u', 'a#b@contoso.com', ['id']).url).toBe('/users/a%23b%40contoso.com?$select=id');
  });

  it('sends mail/proxy look-ups as advanced queries: ConsistencyLevel eventual and $count (https://learn.microsoft.com/graph/aad-advanced-queries)', () => {
    const req = usersByMailRequest('byMail', 'adele@contoso.com', ['id']);
    expect(req).toMatchObject({ id: 'byMail', method: 'GET', headers: { ConsistencyLevel: 'eventual' } });
    expect(decodeURIComponent(req.url)).toBe("/users?$filter=mail eq 'adele@contoso.com' or proxyAddresses/any(p:p eq 'smtp:adele@contoso.com')&$select=id&$count=true");
    expect(decodeURIComponent(usersByMailOrAliasRequest('c', 'new@contoso.com', 'new', ['id']).url)).toContain(" or mailNickname eq 'new'");
    expect(groupMemberCheckRequest('0', 'g1', 'u1').headers).toEqual({ ConsistencyLevel: 'eventual' });
  });

  it("doubles single quotes inside filters (https://learn.microsoft.com/graph/query-parameters#escaping-single-quotes)", () => {
    expect(decodeURIComponent(groupsByDisplayNameRequest('g', "O'Brien Team", ['id']).url)).toBe("/groups?$filter=displayName eq 'O''Brien Team'&$select=id");
  });

  it('reads sign-in preferences by path (beta only: https://learn.microsoft.com/graph/api/authenticationmethodsroot-get-signinpreferences?view=graph-rest-beta)', () => {
    expect(signInPreferencesPath('u1')).toBe('/users/u1/authentication/signInPreferences');
  });

  it("matches the workflows' write URIs by lower-cased segment", () => {
    expect(groupRelationSegment('ABC-1', 'members')).toBe('/groups/abc-1/members');
    expect(authenticationMethodSegment('phoneMethods', 'ID 1')).toBe('/authentication/phonemethods/id%201');
  });
});
