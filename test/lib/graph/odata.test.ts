import { describe, expect, it } from 'vitest';
import { buildQuery, escapeODataLiteral, odataGuid, odataString } from '../../../lib/graph/odata.js';
import { encodeSegment, graphPath, userPath } from '../../../lib/graph/path.js';

describe('OData literals', () => {
  it("doubles single quotes so O'Brien stays one literal", () => {
    expect(escapeODataLiteral("O'Brien")).toBe("O''Brien");
    expect(odataString("O'Brien Team")).toBe("'O''Brien Team'");
    expect(odataString("a' or displayName eq 'x")).toBe("'a'' or displayName eq ''x'");
  });

  it('refuses a non-GUID where a GUID literal is required', () => {
    expect(odataGuid('CBDC14AB-D96C-4C30-B9F4-6ADA7CDC1D46')).toBe('cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46');
    expect(() => odataGuid("x' or 1 eq 1")).toThrow(TypeError);
  });

  it('percent-encodes query values, keeps $ keys readable and drops undefined', () => {
    const q = buildQuery({ $filter: "displayName eq 'R&D #1?'", $select: ['id', 'displayName'], $top: 5, skip: undefined });
    expect(q).toBe("?$filter=displayName%20eq%20'R%26D%20%231%3F'&$select=id%2CdisplayName&$top=5");
    expect(new URLSearchParams(q).get('$filter')).toBe("displayName eq 'R&D #1?'");
  });
});

describe('path encoding', () => {
  it('encodes #, ?, / and % inside one segment', () => {
    expect(encodeSegment('a#b?c/d%e')).toBe('a%23b%3Fc%2Fd%25e');
    expect(userPath('ext_user#EXT#@contoso.onmicrosoft.com')).toBe('/users/ext_user%23EXT%23%40contoso.onmicrosoft.com');
    expect(userPath('../groups/x')).toBe('/users/..%2Fgroups%2Fx');
  });

  it("addresses $-prefixed UPNs with the key syntax /users('$x@y')", () => {
    expect(userPath('$admin@contoso.com')).toBe("/users('$admin%40contoso.com')");
    expect(userPath("$o'neil@contoso.com")).toBe("/users('$o''neil%40contoso.com')");
  });

  it('encodes interpolated values in graphPath only', () => {
    expect(graphPath`/groups/${'g/1'}/members/${'u#2'}/$ref`).toBe('/groups/g%2F1/members/u%232/$ref');
  });
});
