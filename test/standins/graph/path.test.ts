import { describe, expect, it } from 'vitest';
import { parseQuery, splitResourcePath } from '../../../local/standins/graph/path.js';
import { decodeSkipToken, encodeSkipToken, nextLinkQuery } from '../../../local/standins/graph/odata/paging.js';

describe('resource paths', () => {
  it('decodes each segment on its own, keeping %2F and %23 inside it', () => {
    expect(splitResourcePath('users/a%2Fb%23EXT%23%40contoso.com/manager')).toEqual(['users', 'a/b#EXT#@contoso.com', 'manager']);
  });

  it("splits the key form and unescapes '' inside it", () => {
    expect(splitResourcePath("users('$x@y.com')/memberOf")).toEqual(['users', '$x@y.com', 'memberOf']);
    expect(splitResourcePath("users('o''brien@contoso.com')")).toEqual(['users', "o'brien@contoso.com"]);
  });

  it('keeps system segments and refuses other bare $ segments', () => {
    expect(splitResourcePath('groups/1/members/$ref')).toEqual(['groups', '1', 'members', '$ref']);
    expect(() => splitResourcePath('users/$x@y.com')).toThrow("Resource not found for the segment '$x@y.com'.");
  });

  it('parses query options, refusing repeated system options', () => {
    const q = parseQuery("$filter=displayName%20eq%20'a+b'&$top=5");
    expect(q.get('$filter')).toBe("displayName eq 'a b'");
    expect(() => parseQuery('$top=1&$top=2')).toThrow();
  });
});

describe('paging tokens', () => {
  it('round-trips offsets and rejects forged tokens', () => {
    expect(decodeSkipToken(encodeSkipToken(140))).toBe(140);
    expect(() => decodeSkipToken("X'00'")).toThrow('Invalid paging token.');
  });

  it('replaces the $skiptoken in the next link and keeps the rest', () => {
    const q = nextLinkQuery(`$top=5&$skiptoken=${encodeURIComponent(encodeSkipToken(5))}&$select=id`, 10);
    expect(q.startsWith('$top=5&$select=id&$skiptoken=')).toBe(true);
  });
});

describe('alternate keys', () => {
  it("keeps servicePrincipals(appId='…') as one appId='…' segment (https://learn.microsoft.com/graph/api/serviceprincipal-get)", () => {
    expect(splitResourcePath("servicePrincipals(appId='7a7a7a7a-0000-4000-8000-000000000001')/appRoleAssignments")).toEqual([
      'servicePrincipals',
      "appId='7a7a7a7a-0000-4000-8000-000000000001'",
      'appRoleAssignments',
    ]);
    expect(splitResourcePath("users('$svc@contoso.com')")).toEqual(['users', '$svc@contoso.com']);
  });
});
